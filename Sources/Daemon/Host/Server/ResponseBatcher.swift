import COIWire
import NIOCore
import Synchronization

/// Collects frames from many tasks and writes them in one event-loop turn with one flush; their
/// bytes count against the connection's outbound budget until the channel has written them.
///
/// Frames are encoded into one buffer as they are queued, so a batch passes the channel pipeline
/// as a single write (issue 15): per frame, no pipeline traversal, no buffer of its own, no promise.
final class ResponseBatcher: Sendable {
    private struct Pending {
        var buffer = ByteBuffer()
        var scheduled = false
        /// The connection is handling the frames of a socket read: it writes the batch when the
        /// read is done (`release`), so no event-loop task is scheduled for it.
        var held = false
        /// The reply queued next ends the current read: it is written at once, with whatever the
        /// read queued before it, instead of after the call's task has been torn down.
        var writeNow = false
    }

    /// What a queued reply sets off.
    private enum Next {
        case nothing
        case schedule
        case writeNow
    }

    /// What resets once a batch is taken.
    private enum Reset {
        case scheduled
        case held
        case none
    }
    private let channel: any Channel
    /// The connection's reader, which writes batches from its place in the pipeline; without it
    /// (tests on an embedded channel) batches enter the pipeline at its tail.
    private let reader: NIOLoopBound<ConnectionReader>?
    private let budget: OutboundBudget
    private let pending = Mutex(Pending())

    init(channel: any Channel, reader: NIOLoopBound<ConnectionReader>? = nil, budget: OutboundBudget) {
        self.channel = channel
        self.reader = reader
        self.budget = budget
    }

    /// Queues a frame of `size` bytes (header included) for the next batch.
    func enqueue(_ frame: Frame, size: Int) {
        budget.charge(size)
        let onLoop = channel.eventLoop.inEventLoop
        let next = pending.withLock { pending -> Next in
            frame.encode(into: &pending.buffer)
            return Self.next(&pending, onLoop: onLoop)
        }
        act(next)
    }

    /// Queues the successful final Response of a call, encoded straight into the batch (no
    /// buffer of its own): Response{status: {} (field 1, empty), payload: bytes (field 2)}.
    /// - Parameters:
    ///   - streamID: The call's stream.
    ///   - payload: The reply message.
    ///   - envelopeSize: `FrameWriter.responseSize(payload.count)`, checked against the frame limit.
    func enqueueResponse(_ streamID: UInt32, payload: [UInt8], envelopeSize: Int) {
        budget.charge(Frame.headerSize + envelopeSize)
        let onLoop = channel.eventLoop.inEventLoop
        let next = pending.withLock { pending -> Next in
            var buffer = pending.buffer
            pending.buffer = ByteBuffer()
            buffer.reserveCapacity(minimumWritableBytes: Frame.headerSize + envelopeSize)
            Frame.writeHeader(length: envelopeSize, streamID: streamID, rawType: MessageType.response.rawValue, flags: [], into: &buffer)
            FrameWriter.writeResponse(payload, into: &buffer)
            pending.buffer = buffer
            return Self.next(&pending, onLoop: onLoop)
        }
        act(next)
    }

    private static func next(_ pending: inout Pending, onLoop: Bool) -> Next {
        if pending.writeNow && onLoop {
            pending.writeNow = false
            return .writeNow
        }
        guard !pending.held, !pending.scheduled else { return .nothing }
        pending.scheduled = true
        return .schedule
    }

    private func act(_ next: Next) {
        switch next {
        case .nothing: return
        case .schedule: channel.eventLoop.execute { self.drain(reset: .scheduled) }
        case .writeNow: drain(reset: .none)
        }
    }

    /// From now until `release`, replies wait for `release` to write them (called on the event
    /// loop while the frames of one read are handled).
    func hold() {
        pending.withLock { $0.held = true }
    }

    /// Writes what was queued since `hold` with one flush.
    func release() {
        pending.withLock { $0.writeNow = false }
        drain(reset: .held)
    }

    /// The next reply queued on the loop is the last of the current read (its frame was the last
    /// in the read's bytes): write it at once. `false` withdraws that when its call did not reply
    /// before its first suspension.
    func writeNextReplyAtOnce(_ yes: Bool = true) {
        pending.withLock { $0.writeNow = yes }
    }

    private func drain(reset: Reset) {
        let buffer = pending.withLock { pending -> ByteBuffer in
            defer {
                pending.buffer = ByteBuffer()
                switch reset {
                case .scheduled: pending.scheduled = false
                case .held: pending.held = false
                case .none: break
                }
            }
            return pending.buffer
        }
        // Each frame was charged its encoded size (header included): the batch's length.
        let bytes = buffer.readableBytes
        guard bytes > 0 else { return }
        // Usually the socket took the whole batch during the flush: its bytes return to the budget
        // now, without a promise and its callback (three allocations per batch). Otherwise an
        // empty write's promise completes once everything before it is written (or has failed).
        let unwritten = write(buffer, promise: nil)
        guard unwritten > 0 else {
            budget.release(bytes)
            return
        }
        let promise = channel.eventLoop.makePromise(of: Void.self)
        let budget = self.budget
        promise.futureResult.whenComplete { _ in budget.release(bytes) }
        _ = write(ByteBuffer(), promise: promise)
    }

    /// Writes and flushes on the event loop; returns the bytes the channel has not yet written.
    private func write(_ buffer: ByteBuffer, promise: EventLoopPromise<Void>?) -> Int {
        if let unwritten = reader?.value.writeReplies(buffer, promise: promise) { return unwritten }
        channel.writeAndFlush(buffer, promise: promise)
        return (try? channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
    }
}
