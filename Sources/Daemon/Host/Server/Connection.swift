import COIPluginKit
import COIWire
import Logging
import NIOCore

/// Serves one client connection: the read loop. Frames are read in order and checked against the
/// stream rules (`ConnectionState`); each accepted Request becomes a child task that the
/// `CallExecutor` runs, writing through a `ConnectionSink`. Streams interleave freely; a bad frame
/// fails its stream only.
struct Connection: Sendable {
    let channel: NIOAsyncChannel<FrameEvent, Frame>
    let executor: CallExecutor
    let settings: LiveSettings
    let shutdown: ShutdownSignal
    let peer: PeerCredentials?
    let logger: Logger

    func run() async {
        let limits = settings.limits
        let budget = ByteBudget { [settings] in settings.limits.maxBufferedBytes }
        let state = ConnectionState(maxConcurrentStreams: limits.maxConcurrentStreams, budget: budget)
        do {
            try await channel.executeThenClose { inbound, outbound in
                let writer = FrameWriter(outbound: outbound, batcher: ResponseBatcher(channel: channel.channel))
                await withDiscardingTaskGroup { group in
                    group.addTask { await watch(state: state) }
                    do {
                        for try await event in inbound {
                            handle(event, state: state, writer: writer, group: &group)
                        }
                    } catch is CancellationError {
                    } catch {
                        logger.notice("closing connection", metadata: ["reason": "\(error)"])
                    }
                    // The peer is gone (or we are closing): its calls can no longer be answered.
                    state.failAll()
                    group.cancelAll()
                }
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// Closes the connection when idle too long, and drains it on shutdown.
    private func watch(state: ConnectionState) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    guard let idle = settings.limits.idleTimeout else {
                        try? await Task.sleep(for: .seconds(5))
                        continue
                    }
                    try? await Task.sleep(for: max(.milliseconds(100), min(idle / 4, .seconds(5))))
                    let (open, idleFor) = state.idleness
                    if open == 0 && idleFor >= idle {
                        logger.debug("closing idle connection")
                        return
                    }
                }
            }
            group.addTask {
                await shutdown.wait()
                guard !Task.isCancelled else { return }
                let deadline = ContinuousClock.now + settings.limits.shutdownGrace
                while state.idleness.openStreams > 0 && ContinuousClock.now < deadline && !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            await group.next()
            group.cancelAll()
        }
        // Ends the read loop: the connection closes and open calls are cancelled.
        channel.channel.close(promise: nil)
    }

    private func handle(_ event: FrameEvent, state: ConnectionState, writer: FrameWriter, group: inout DiscardingTaskGroup) {
        let limits = settings.limits
        switch state.receive(event, maxConcurrentStreams: limits.maxConcurrentStreams) {
        case .ignore:
            return
        case let .reject(streamID, error, cancelsStream):
            if cancelsStream { state.cancel(streamID) }
            logger.debug("rejected frame", metadata: ["stream": "\(streamID)", "error": "\(error)"])
            // An open stream may have Data queued in the async writer: its error must follow them.
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
                let kind = call.route.handler.kind
                var queue: InboundQueue?
                if kind.clientStreams {
                    let q = InboundQueue(budget: state.budget)
                    if !request.payload.isEmpty { _ = q.push(request.payload) }
                    if flags.contains(.remoteClosed) { q.finish() }
                    queue = q
                }
                let cancel = (kind == .unary) ? nil : CancelSignal()
                state.attach(streamID, queue: queue, cancel: cancel)
                let sink = ConnectionSink(streamID: streamID, state: state, writer: writer, streaming: kind.serverStreams)
                group.addTask { await executor.run(call, requests: queue?.stream(), cancel: cancel, sink: sink) }
            } catch {
                _ = state.complete(streamID)
                group.addTask { await writer.response(streamID, error: error) }
            }
        }
    }
}
