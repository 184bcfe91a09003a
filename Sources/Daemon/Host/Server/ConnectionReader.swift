import COIWire
import NIOCore

/// Starts a connection's calls straight from its channel pipeline (issue 15).
///
/// Each decoded frame goes to `ConnectionCalls` in the same event-loop turn that read it, and a
/// call runs at once until its first suspension; a call that never waits is answered in that turn.
/// Before, frames were handed to a read loop task through an `NIOAsyncChannel`: a lock, a state
/// machine and a task wake-up for every read, about a tenth of a one-caller call's CPU.
///
/// What the read loop did besides, this handler does in the pipeline:
/// - Frames that arrive before the connection is set up (`start`) wait here, reading held.
/// - A client that does not read its replies gets no new work started: while the connection's
///   outbound budget is full, frames wait here and no more are read, so the next ones wait in the
///   socket (TCP flow control) instead of in the daemon.
/// - `Stop` (shutdown) ends reading while the outbound side stays open for final Responses.
/// - The end of input and errors reach the `NIOAsyncChannel` behind it (which ends the connection)
///   only after the frames that came before them were handled.
final class ConnectionReader: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = Never
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent through the pipeline to stop reading.
    struct Stop: Sendable {}

    /// What ends reading, passed on once the frames before it are handled.
    private enum End {
        case inputClosed
        case error(any Error)
        case inactive
    }

    private var calls: ConnectionCalls?
    /// Frames are cut here rather than by a `ByteToMessageHandler` in front: a decoded frame
    /// passed through the pipeline is boxed in an `NIOAny`, an allocation per frame.
    private var parser = FrameParser()
    /// The start of a frame whose rest has not arrived yet.
    private var partial: ByteBuffer?
    /// Nil once the handler has left the pipeline (the channel closed): frames that came before
    /// still become calls, but nothing more is read or passed on.
    private var context: ChannelHandlerContext?
    private var options: (any NIOSynchronousChannelOptions)?
    private var backlog = CircularBuffer<FrameEvent>()
    /// Waiting for room in the outbound budget.
    private var waiting = false
    /// A read was asked for while frames could not be handled.
    private var readHeld = false
    /// No more frames are handled.
    private var stopped = false
    private var ends: [End] = []

    init() {}

    /// Hands the connection's frames to `calls` from now on, the ones that already came first.
    func start(_ calls: ConnectionCalls) {
        self.calls = calls
        drain()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        options = context.channel.syncOptions
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        releaseReplies()
        self.context = nil
    }

    /// Writes a batch of encoded replies (`ResponseBatcher`) from this handler's place in the
    /// pipeline, so it passes no handler behind this one (the `NIOAsyncChannel`'s), and reads the
    /// channel's unwritten bytes through options looked up once rather than per batch (issue 15).
    /// - Parameters:
    ///   - buffer: The batch.
    ///   - promise: Completed once the batch is written, or has failed.
    /// - Returns: The bytes the channel still holds unwritten after the flush; nil once this
    ///   handler has left the pipeline (nothing was written).
    func writeReplies(_ buffer: ByteBuffer, promise: EventLoopPromise<Void>?) -> Int? {
        guard let context else { return nil }
        context.writeAndFlush(wrapOutboundOut(buffer), promise: promise)
        return (try? options?.getOption(.bufferedWritableBytes)) ?? 0
    }

    /// Writes the replies the frames of the current read gave (`ResponseBatcher.hold`).
    private func releaseReplies() {
        calls?.writer.batcher.release()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !stopped else { return }
        // The replies of this read's frames are written together when it completes.
        calls?.writer.batcher.hold()
        var bytes = unwrapInboundIn(data)
        if var partial {
            partial.writeBuffer(&bytes)
            bytes = partial
            self.partial = nil
        }
        do {
            while !stopped, let event = try parser.next(from: &bytes) {
                if backlog.isEmpty, !waiting, let calls, calls.outbound.isBelowLimit {
                    // The last frame of the read: a reply its call gives at once goes out at once.
                    let last = bytes.readableBytes == 0
                    if last { calls.writer.batcher.writeNextReplyAtOnce() }
                    calls.handle(event)
                    if last { calls.writer.batcher.writeNextReplyAtOnce(false) }
                } else {
                    backlog.append(event)
                    drain()
                }
            }
        } catch {
            // Not ttrpc: nothing after this can be read as frames.
            finish(.error(error))
            stopped = true
            return
        }
        if bytes.readableBytes > 0 {
            bytes.discardReadBytes()
            partial = bytes
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        releaseReplies()
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if calls == nil || waiting || !backlog.isEmpty {
            readHeld = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is Stop:
            stop()
        case ChannelEvent.inputClosed:
            finish(.inputClosed)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.error(error))
    }

    // Frames read before the peer hung up still become calls (and audit entries), as they would
    // have if the connection had been quicker; the connection's end then cancels them.
    func channelInactive(context: ChannelHandlerContext) {
        guard calls == nil else {
            finish(.inactive)
            return
        }
        // Not started: the end is passed on now, because a refused connection is never started
        // (and its channel must see it); what was read still becomes calls if it is.
        ends.append(.inactive)
        stopped = true
        passEnds()
    }

    /// Handles waiting frames while the outbound budget has room; then passes on a pending end,
    /// or lets reading go on.
    private func drain() {
        guard let calls, !waiting else { return }
        while let event = backlog.first {
            guard calls.outbound.isBelowLimit else {
                waitForRoom(calls)
                return
            }
            backlog.removeFirst()
            calls.handle(event)
        }
        if !ends.isEmpty {
            stopped = true
            passEnds()
        } else if readHeld, let context {
            readHeld = false
            context.read()
        }
    }

    private func waitForRoom(_ calls: ConnectionCalls) {
        waiting = true
        let loop = calls.writer.channel.eventLoop
        let reader = NIOLoopBound(self, eventLoop: loop)
        let outbound = calls.outbound
        Task {
            let room = await outbound.waitUntilBelowLimit()
            loop.execute {
                reader.value.waiting = false
                // The connection is closing (or shutting down): what waits is not started.
                if room { reader.value.drain() } else { reader.value.stop() }
            }
        }
    }

    /// Ends reading once the frames before `end` are handled (at once when none waits).
    private func finish(_ end: End) {
        // Frames decoded at the end of input come without a read-complete.
        releaseReplies()
        ends.append(end)
        if stopped {
            passEnds()
        } else {
            drain()
        }
    }

    /// Ends reading now: frames still waiting are dropped.
    private func stop() {
        guard !stopped else { return }
        releaseReplies()
        stopped = true
        backlog.removeAll()
        if ends.isEmpty { ends.append(.inputClosed) }
        passEnds()
    }

    private func passEnds() {
        guard let context else { return }
        let ends = self.ends
        self.ends = []
        for end in ends {
            switch end {
            case .inputClosed: context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
            case let .error(error): context.fireErrorCaught(error)
            case .inactive: context.fireChannelInactive()
            }
        }
    }
}
