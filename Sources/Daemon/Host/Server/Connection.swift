import COIPluginKit
import COIWire
import Logging
import NIOCore

/// Serves one client connection: the read loop. Frames are read in order and checked against the
/// stream rules (`ConnectionState`); each accepted Request becomes a child task that the
/// `CallExecutor` runs, writing through a `ConnectionSink`. Streams interleave freely; a bad frame
/// fails its stream only.
struct Connection: Sendable {
    let channel: NIOAsyncChannel<[FrameEvent], ByteBuffer>
    let executor: CallExecutor
    let settings: LiveSettings
    let shutdown: ShutdownSignal
    let peer: PeerCredentials?
    let logger: Logger

    /// Why the watcher ends a connection.
    private enum Stop {
        case idle
        case shutdown
    }

    func run() async {
        let limits = settings.limits
        let budget = ByteBudget { [settings] in settings.limits.maxBufferedBytes }
        let outbound = OutboundBudget { [settings] in settings.limits.maxBufferedBytes }
        let state = ConnectionState(maxConcurrentStreams: limits.maxConcurrentStreams, budget: budget)
        // Whatever closes the channel, nothing waits for room in it any more.
        channel.channel.closeFuture.whenComplete { _ in outbound.close() }
        do {
            try await channel.executeThenClose { inbound, _ in
                let writer = FrameWriter(channel: channel.channel, budget: outbound)
                await withDiscardingTaskGroup { group in
                    group.addTask { await watch(state: state, outbound: outbound) }
                    do {
                        reading: for try await batch in inbound {
                            for event in batch {
                                // A client that does not read its replies gets no new work started:
                                // its frames wait in the socket (TCP flow control) instead of in the daemon.
                                if !outbound.isBelowLimit, !(await outbound.waitUntilBelowLimit()) { break reading }
                                handle(event, state: state, writer: writer, group: &group)
                            }
                        }
                    } catch is CancellationError {
                    } catch {
                        logger.notice("closing connection", metadata: ["reason": "\(error)"])
                    }
                    // The peer is gone (or we are closing): its calls can no longer be answered.
                    state.failAll()
                    group.cancelAll()
                }
                // The final Responses of the calls just ended reach the socket before it closes,
                // unless the peer does not read them: then they are dropped after a second.
                await withTaskGroup(of: Void.self) { drain in
                    drain.addTask { await outbound.waitUntilEmpty() }
                    drain.addTask { try? await Task.sleep(for: .seconds(1)) }
                    await drain.next()
                    drain.cancelAll()
                }
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// Closes the connection when idle too long; on shutdown ends its long-lived streams at once
    /// and, after the grace period, every call still running, each with a final UNAVAILABLE.
    private func watch(state: ConnectionState, outbound: OutboundBudget) async {
        let stop = await withTaskGroup(of: Stop?.self) { group -> Stop? in
            group.addTask {
                while !Task.isCancelled {
                    guard let idle = settings.limits.idleTimeout else {
                        try? await Task.sleep(for: .seconds(5))
                        continue
                    }
                    try? await Task.sleep(for: max(.milliseconds(100), min(idle / 4, .seconds(5))))
                    let (open, idleFor) = state.idleness
                    if open == 0 && idleFor >= idle { return .idle }
                }
                return nil
            }
            group.addTask {
                await shutdown.wait()
                guard !Task.isCancelled else { return nil }
                // Feeds and watches would run to the end of the grace period: they end now.
                state.endLongLived()
                let deadline = ContinuousClock.now + settings.limits.shutdownGrace
                while state.idleness.openStreams > 0 && ContinuousClock.now < deadline && !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return Task.isCancelled ? nil : .shutdown
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch stop {
        case .idle?:
            logger.debug("closing idle connection")
            channel.channel.close(promise: nil)
        case .shutdown?:
            // Calls still running get their final Response (UNAVAILABLE) before the connection closes.
            state.endAll()
            outbound.close()
            channel.channel.pipeline.fireUserInboundEventTriggered(ReadStopHandler.Stop())
        case nil:
            return
        }
    }

    private func handle(_ event: FrameEvent, state: ConnectionState, writer: FrameWriter, group: inout DiscardingTaskGroup) {
        let limits = settings.limits
        switch state.receive(event, maxConcurrentStreams: limits.maxConcurrentStreams) {
        case .ignore:
            return
        case let .reject(streamID, error, cancelsStream):
            if cancelsStream { state.cancel(streamID) }
            logger.debug("rejected frame", metadata: ["stream": "\(streamID)", "error": "\(error)"])
            // An open stream may have Data queued before it: its error must follow them.
            group.addTask { await writer.response(streamID, error: error, streaming: cancelsStream) }
        case let .data(streamID, payload, end):
            guard let queue = state.queue(streamID) else { return }
            if let payload {
                if !queue.push(Array(buffer: payload)) {
                    state.cancel(streamID)
                    let error = RPCError(.resourceExhausted,
                                         "connection buffer limit of \(limits.maxBufferedBytes) bytes exceeded; the handler is not keeping up",
                                         reason: "BUFFER_LIMIT")
                    group.addTask { await writer.response(streamID, error: error, streaming: true) }
                    return
                }
            }
            if end { queue.finish() }
        case let .open(streamID, flags, payload):
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
                var queue: InboundQueue?
                if kind.clientStreams {
                    let q = InboundQueue(budget: state.budget)
                    if !request.payload.isEmpty { _ = q.push(request.payload) }
                    if flags.contains(.remoteClosed) { q.finish() }
                    queue = q
                }
                let cancel = (kind == .unary) ? nil : CancelSignal()
                state.attach(streamID, queue: queue, cancel: cancel, longLived: call.route.lifetime == .longLived)
                let sink = ConnectionSink(streamID: streamID, state: state, writer: writer, streaming: kind.serverStreams)
                let budget = state.budget
                group.addTask {
                    await executor.run(call, requests: queue?.stream(), cancel: cancel, sink: sink)
                    budget.give(held)
                }
            } catch {
                _ = state.complete(streamID)
                group.addTask { await writer.response(streamID, error: error) }
            }
        }
    }
}

/// Sits just before the connection's inbound stream: on `Stop` it ends that stream (the read loop
/// then ends and cancels what still runs) while the outbound side stays open for final Responses.
final class ReadStopHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = [FrameEvent]
    typealias InboundOut = [FrameEvent]

    /// Sent through the pipeline to stop reading.
    struct Stop: Sendable {}

    private var stopped = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !stopped { context.fireChannelRead(data) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is Stop else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard !stopped else { return }
        stopped = true
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }
}
