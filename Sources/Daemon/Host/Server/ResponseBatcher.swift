import COIWire
import NIOCore
import Synchronization

/// Collects frames from many tasks and writes them in one event-loop turn with one flush; their
/// bytes count against the connection's outbound budget until the channel has written them.
final class ResponseBatcher: Sendable {
    private struct Pending {
        var frames: [Frame] = []
        var bytes = 0
        var scheduled = false
    }
    private let channel: any Channel
    private let budget: OutboundBudget
    private let pending = Mutex(Pending())

    init(channel: any Channel, budget: OutboundBudget) {
        self.channel = channel
        self.budget = budget
    }

    /// Queues a frame of `size` bytes (header included) for the next batch.
    func enqueue(_ frame: Frame, size: Int) {
        budget.charge(size)
        let schedule = pending.withLock { pending -> Bool in
            pending.frames.append(frame)
            pending.bytes += size
            defer { pending.scheduled = true }
            return !pending.scheduled
        }
        if schedule {
            channel.eventLoop.execute { self.drain() }
        }
    }

    private func drain() {
        let (frames, bytes) = pending.withLock { pending -> ([Frame], Int) in
            defer {
                pending.frames.removeAll(keepingCapacity: true)
                pending.bytes = 0
                pending.scheduled = false
            }
            return (pending.frames, pending.bytes)
        }
        guard let last = frames.last else { return }
        for frame in frames.dropLast() { channel.write(frame, promise: nil) }
        // Writes complete in order (or all fail together): one promise on the last frame stands for the batch.
        let promise = channel.eventLoop.makePromise(of: Void.self)
        let budget = self.budget
        promise.futureResult.whenComplete { _ in budget.release(bytes) }
        channel.write(last, promise: promise)
        channel.flush()
    }
}
