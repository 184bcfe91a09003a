import COIPluginKit
import COIWire
import Logging
import NIOCore

/// What one connection's frames do: each is checked against the stream rules (`ConnectionState`);
/// each accepted Request becomes a call that the `CallExecutor` runs, writing through a
/// `ConnectionSink`. Streams interleave freely; a bad frame fails its stream only.
///
/// `ConnectionReader` hands it every frame in order, on the connection's event loop.
final class ConnectionCalls: Sendable {
    let executor: CallExecutor
    let settings: LiveSettings
    let shutdown: ShutdownSignal
    let peer: PeerCredentials?
    let logger: Logger
    let state: ConnectionState
    let writer: FrameWriter
    /// Bytes handed to the channel and not yet written: no new work starts while it is full.
    let outbound: OutboundBudget
    let running: RunningCalls

    init(executor: CallExecutor, settings: LiveSettings, shutdown: ShutdownSignal, peer: PeerCredentials?, logger: Logger,
         state: ConnectionState, writer: FrameWriter, outbound: OutboundBudget, running: RunningCalls) {
        self.executor = executor
        self.settings = settings
        self.shutdown = shutdown
        self.peer = peer
        self.logger = logger
        self.state = state
        self.writer = writer
        self.outbound = outbound
        self.running = running
    }

    func handle(_ event: FrameEvent) {
        let limits = settings.limits
        switch state.receive(event, maxConcurrentStreams: limits.maxConcurrentStreams) {
        case .ignore:
            return
        case let .reject(streamID, error, cancelsStream):
            if cancelsStream { state.cancel(streamID) }
            logger.debug("rejected frame", metadata: ["stream": "\(streamID)", "error": "\(error)"])
            // An open stream may have Data queued before it: its error must follow them.
            reply(streamID, error: error, streaming: cancelsStream)
        case let .data(streamID, payload, end):
            guard let queue = state.queue(streamID) else { return }
            if let payload {
                if !queue.push(Array(buffer: payload)) {
                    state.cancel(streamID)
                    let error = RPCError(.resourceExhausted,
                                         "connection buffer limit of \(limits.maxBufferedBytes) bytes exceeded; the handler is not keeping up",
                                         reason: "BUFFER_LIMIT")
                    reply(streamID, error: error, streaming: true)
                    return
                }
            }
            if end { queue.finish() }
        case let .open(streamID, flags, payload):
            open(streamID, flags: flags, payload: payload)
        }
    }

    private func open(_ streamID: UInt32, flags: FrameFlags, payload: ByteBuffer) {
        let limits = settings.limits
        do {
            let request: RequestEnvelope
            do {
                request = try RequestEnvelope(decoding: payload)
            } catch {
                throw RPCError(.invalidArgument, "Request frame payload is not a ttrpc.Request: \(error)", reason: "REQUEST_UNDECODABLE")
            }
            let call = try executor.open(request, flags: flags, peer: peer, logger: logger, shuttingDown: shutdown.isFired)
            // The request message stays in memory while its call runs: it counts against the
            // same budget as queued client-stream messages (one request alone always fits).
            let held = call.payload.count
            guard state.budget.take(held, evenOverLimitWhenEmpty: true) else {
                throw RPCError(.resourceExhausted,
                               "requests of running calls on this connection exceed max_buffered_bytes (\(limits.maxBufferedBytes) bytes); retry when earlier calls have finished",
                               reason: "BUFFER_LIMIT")
            }
            let kind = call.route.handler.kind
            let queue = kind.clientStreams ? InboundQueue(budget: state.budget) : nil
            if let queue {
                if !request.payload.isEmpty { _ = queue.push(request.payload) }
                if flags.contains(.remoteClosed) { queue.finish() }
            }
            let cancel = (kind == .unary) ? nil : CancelSignal()
            state.attach(streamID, queue: queue, cancel: cancel, longLived: call.route.lifetime == .longLived)
            let sink = ConnectionSink(streamID: streamID, state: state, writer: writer, streaming: kind.serverStreams)
            let budget = state.budget
            let executor = self.executor
            guard let id = running.begin() else {
                budget.give(held)
                state.cancel(streamID)
                return
            }
            // Runs at once, on this loop, until its first suspension: a call that never waits is
            // answered without being scheduled as a job of its own.
            let running = self.running
            running.attach(id, Task.immediate(executorPreference: running.executor) {
                await executor.run(call, requests: queue?.stream(), cancel: cancel, sink: sink)
                budget.give(held)
                running.end(id)
            })
        } catch {
            _ = state.complete(streamID)
            reply(streamID, error: error, streaming: false)
        }
    }

    /// A final error Response, queued behind whatever the stream has written before.
    private func reply(_ streamID: UInt32, error: any Error, streaming: Bool) {
        let writer = self.writer
        running.start { await writer.response(streamID, error: error, streaming: streaming) }
    }
}
