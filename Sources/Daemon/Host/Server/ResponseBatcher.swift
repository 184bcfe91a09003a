import COIWire
import NIOCore
import Synchronization

/// Collects frames from many tasks and writes them in one event-loop turn with one flush.
final class ResponseBatcher: Sendable {
    private struct Pending {
        var frames: [Frame] = []
        var scheduled = false
    }
    private let channel: any Channel
    private let pending = Mutex(Pending())

    init(channel: any Channel) {
        self.channel = channel
    }

    func enqueue(_ frame: Frame) {
        let schedule = pending.withLock { pending -> Bool in
            pending.frames.append(frame)
            defer { pending.scheduled = true }
            return !pending.scheduled
        }
        if schedule {
            channel.eventLoop.execute { self.drain() }
        }
    }

    private func drain() {
        let frames = pending.withLock { pending -> [Frame] in
            defer {
                pending.frames.removeAll(keepingCapacity: true)
                pending.scheduled = false
            }
            return pending.frames
        }
        for frame in frames { channel.write(frame, promise: nil) }
        channel.flush()
    }
}
