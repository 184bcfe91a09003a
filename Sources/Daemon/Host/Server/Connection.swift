import COIPluginKit
import COIWire
import Logging
import NIOCore

/// Serves one client connection: sets up its calls (`ConnectionCalls`), which its
/// `ConnectionReader` starts from the pipeline, and ends them when the connection ends: idle,
/// shut down, closed by the peer, or broken.
struct Connection: Sendable {
    let channel: NIOAsyncChannel<Never, ByteBuffer>
    let reader: NIOLoopBound<ConnectionReader>
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
                let writer = FrameWriter(channel: channel.channel, reader: reader, budget: outbound)
                let running = RunningCalls(executor: EventLoopTaskExecutor(channel.channel.eventLoop))
                let calls = ConnectionCalls(executor: executor, settings: settings, shutdown: shutdown, peer: peer, logger: logger,
                                            state: state, writer: writer, outbound: outbound, running: running)
                // Frames read so far become calls before the end of reading can be seen below.
                try? await channel.channel.eventLoop.submit { [reader] in reader.value.start(calls) }.get()
                await withDiscardingTaskGroup { group in
                    group.addTask { await watch(state: state, outbound: outbound) }
                    do {
                        // The reader passes no frames on: this ends when reading ends.
                        for try await _ in inbound {}
                    } catch is CancellationError {
                    } catch {
                        logger.notice("closing connection", metadata: ["reason": "\(error)"])
                    }
                    // The peer is gone (or we are closing): its calls can no longer be answered.
                    state.failAll()
                    await running.cancelAllAndWait()
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
            channel.channel.pipeline.fireUserInboundEventTriggered(ConnectionReader.Stop())
        case nil:
            return
        }
    }
}
