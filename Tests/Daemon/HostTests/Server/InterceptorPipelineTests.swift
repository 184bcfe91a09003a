@testable import COIHost
import COIPluginKit
import COIProto
import COIWire
import Logging
import NIOCore
import Synchronization
import Testing

/// Each route's pipeline holds only the interceptors that apply to it (issue 15), in the order the
/// server lists them; a step that declines a route never sees its calls.
@Suite struct InterceptorPipelineTests {
    @Test func aStepRunsOnlyForTheRoutesItAppliesToAndOrderIsKept() async throws {
        let log = Log()
        var router = Router()
        router.unary(Coi_Core_V1_Diagnostics.Method.echo, .open) { (request: Coi_Core_V1_EchoRequest, _) in
            log.entries.withLock { $0.append("echo handler") }
            return Coi_Core_V1_EchoReply.with { $0.message = request.message }
        }
        router.unary(Coi_Core_V1_Diagnostics.Method.writeCanary, .authenticatedWrite) { (_: Coi_Core_V1_WriteCanaryRequest, _) in
            log.entries.withLock { $0.append("write handler") }
            return Coi_Core_V1_Canary()
        }
        let executor = CallExecutor(router: router, interceptors: [
            Recorder(name: "outer", writesOnly: false, log: log),
            Recorder(name: "writes", writesOnly: true, log: log),
            Recorder(name: "inner", writesOnly: false, log: log),
        ])
        for rpc in [Coi_Core_V1_Diagnostics.Method.echo.erased, Coi_Core_V1_Diagnostics.Method.writeCanary.erased] {
            var envelope = Ttrpc_Request()
            envelope.service = rpc.service.name
            envelope.method = rpc.method
            let request = try RequestEnvelope(decoding: ByteBuffer(bytes: try envelope.serializedBytes() as [UInt8]))
            let call = try executor.open(request, flags: [], peer: nil, logger: Logger(label: "test"), shuttingDown: false)
            let sink = Outcome()
            await executor.run(call, requests: nil, cancel: nil, sink: sink)
            #expect(sink.succeeded.withLock { $0 }, "\(rpc.path)")
        }
        #expect(log.entries.withLock { $0 } == [
            "outer", "inner", "echo handler",
            "outer", "writes", "inner", "write handler",
        ])

        // A route from outside the table (its index unset) gets the steps that apply to it too.
        log.entries.withLock { $0 = [] }
        let route = try #require(router.routes.values.first { $0.rpc == Coi_Core_V1_Diagnostics.Method.echo.erased })
        let context = RequestContext(service: route.service, method: route.method, metadata: [], requestID: "", deadline: nil,
                                     peer: nil, baseLogger: Logger(label: "test"))
        _ = try await executor.intercept(ServerCall(route: route, context: context, authorization: nil)) { _ in [] }
        #expect(log.entries.withLock { $0 } == ["outer", "inner"])
    }
}

/// Notes each call it sees; with `writesOnly`, declines read routes.
private struct Recorder: ServerInterceptor {
    let name: String
    let writesOnly: Bool
    let log: Log

    func applies(to route: MethodRoute) -> Bool { !writesOnly || route.access.effect == .write }

    nonisolated(nonsending) func intercept(_ call: ServerCall, next: nonisolated(nonsending) @Sendable (ServerCall) async throws -> [UInt8]) async throws -> [UInt8] {
        log.entries.withLock { $0.append(name) }
        return try await next(call)
    }
}

private final class Log: Sendable {
    let entries = Mutex<[String]>([])
}

/// Records whether a call succeeded.
private final class Outcome: CallSink, Sendable {
    let succeeded = Mutex(false)

    func data(_ bytes: [UInt8]) async throws {}

    func finish(_ result: Result<[UInt8], RPCError>) async {
        if case .success = result { succeeded.withLock { $0 = true } }
    }
}
