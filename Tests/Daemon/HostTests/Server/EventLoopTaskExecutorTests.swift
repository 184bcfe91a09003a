@testable import COIHost
import COIPluginKit
import COIProto
import COIWire
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// A connection's read loop and calls run on its event loop (issue 15): code under the preference,
/// its child tasks, and whatever resumes after an `await` elsewhere all run on that loop.
@Suite struct EventLoopTaskExecutorTests {
    @Test func tasksUnderThePreferenceRunOnTheLoopAndStayThere() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let executor = EventLoopTaskExecutor(loop)
        let onLoop = await withTaskExecutorPreference(executor) { () async -> [Bool] in
            var seen = [loop.inEventLoop]
            // Resumes here after a timer (another thread fires it).
            try? await Task.sleep(for: .milliseconds(5))
            seen.append(loop.inEventLoop)
            // Child tasks inherit the preference, as the calls of a connection do.
            let children = await withTaskGroup(of: Bool.self) { tasks -> [Bool] in
                for _ in 0..<8 {
                    tasks.addTask {
                        await Task.yield()
                        return loop.inEventLoop
                    }
                }
                return await tasks.reduce(into: []) { $0.append($1) }
            }
            seen += children
            // Work another executor runs (here: a detached task on the global pool) comes back.
            let elsewhere = await Task.detached { loop.inEventLoop }.value
            seen.append(!elsewhere)
            seen.append(loop.inEventLoop)
            return seen
        }
        #expect(onLoop == [Bool](repeating: true, count: onLoop.count) && onLoop.count == 12, "\(onLoop)")
        try await group.shutdownGracefully()
    }

    /// A light method's handler runs on its connection's loop; a `.heavy` one (a survey estimate)
    /// runs on the shared pool, so its computing cannot hold up the loop's other connections.
    @Test func heavyHandlersRunOffTheLoopAndLightOnesOnIt() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let seen = Mutex<[String: Bool]>([:])
        var router = Router()
        router.unary(Coi_Core_V1_Diagnostics.Method.echo, .open) { (request: Coi_Core_V1_EchoRequest, _) in
            seen.withLock { $0["light"] = loop.inEventLoop }
            return Coi_Core_V1_EchoReply.with { $0.message = request.message }
        }
        router.unary(Coi_Core_V1_Diagnostics.Method.sleep, .open, cost: .heavy) { (_: Coi_Core_V1_SleepRequest, _) in
            seen.withLock { $0["heavy"] = loop.inEventLoop }
            await Task.yield()
            seen.withLock { $0["heavy after await"] = loop.inEventLoop }
            return Coi_Core_V1_SleepReply()
        }
        let executor = CallExecutor(router: router, interceptors: [])
        let outcomes = await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) { () async -> [Bool] in
            var outcomes: [Bool] = []
            for rpc in [Coi_Core_V1_Diagnostics.Method.echo.erased, Coi_Core_V1_Diagnostics.Method.sleep.erased] {
                var envelope = Ttrpc_Request()
                envelope.service = rpc.service.name
                envelope.method = rpc.method
                let bytes: [UInt8] = (try? envelope.serializedBytes()) ?? []
                guard let request = try? RequestEnvelope(decoding: ByteBuffer(bytes: bytes)),
                      let call = try? executor.open(request, flags: [], peer: nil, logger: Logger(label: "test"), shuttingDown: false)
                else { return [] }
                let sink = OutcomeSink()
                await executor.run(call, requests: nil, cancel: nil, sink: sink)
                outcomes.append(sink.succeeded.withLock { $0 })
            }
            // The call's own task is back on the loop once the heavy handler has returned.
            outcomes.append(loop.inEventLoop)
            return outcomes
        }
        #expect(outcomes == [true, true, true])
        #expect(seen.withLock { $0 } == ["light": true, "heavy": false, "heavy after await": false])
        try await group.shutdownGracefully()
    }
}

/// Only unary methods may be heavy: a stream's Data sent from the pool was overtaken by its final
/// Response sent from the loop, so a heavy stream is a registration problem (the plugin fails to start).
@Suite struct HeavyRegistrationTests {
    @Test func aHeavyStreamIsRefusedAndAHeavyUnaryMethodIsNot() {
        var router = Router()
        router.unary(Coi_Core_V1_Diagnostics.Method.sleep, .open, cost: .heavy) { (_: Coi_Core_V1_SleepRequest, _) in Coi_Core_V1_SleepReply() }
        #expect(router.problems.isEmpty)
        let stream = Coi_Core_V1_Diagnostics.Method.echoStream
        router.register(stream.erased, .open, cost: .heavy, handler: .serverStreaming { _, _, _ in })
        #expect(router.problems == ["method \(stream.path) is declared heavy but is server-streaming; only unary methods may be heavy"])
    }
}

/// Records whether a call succeeded.
private final class OutcomeSink: CallSink, Sendable {
    let succeeded = Mutex(false)

    func data(_ bytes: [UInt8]) async throws {}

    func finish(_ result: Result<[UInt8], RPCError>) async {
        if case .success = result { succeeded.withLock { $0 = true } }
    }
}
