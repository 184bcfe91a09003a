@testable import COIHost
import COIPluginKit
import COIProto
import COIRPC
import COIWire
import Logging
import Synchronization
import Testing

/// Connection caps per user and for anonymous peers, the long-lived stream cap per principal, and
/// the aggregated refusal log (issue 10 item 6).
@Suite struct AdmissionTests {

    @Test func connectionsAreCappedPerUIDAndForPeersWithoutCredentials() {
        var limits = ServerLimits()
        limits.maxConnectionsPerUID = 2
        limits.maxAnonymousConnections = 1
        let caps = ConnectionCaps()
        let anna = PeerCredentials(pid: 1, uid: 1000, gid: 1000)
        let bo = PeerCredentials(pid: 2, uid: 1001, gid: 1001)
        #expect(caps.admit(anna, limits: limits) == nil)
        #expect(caps.admit(anna, limits: limits) == nil)
        #expect(caps.admit(anna, limits: limits) == .perUID(1000))
        #expect(caps.admit(bo, limits: limits) == nil, "another user has its own cap")
        #expect(caps.admit(nil, limits: limits) == nil)
        #expect(caps.admit(nil, limits: limits) == .anonymous)
        caps.release(anna)
        caps.release(nil)
        #expect(caps.admit(anna, limits: limits) == nil)
        #expect(caps.admit(nil, limits: limits) == nil)
    }

    /// A log handler that keeps the lines.
    final class Lines: LogHandler, @unchecked Sendable {
        let lines = Mutex<[String]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let extra = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            lines.withLock { $0.append("\(event.message) \(extra)") }
        }
    }

    @Test func refusalsAreLoggedOncePerIntervalWithACount() {
        let lines = Lines()
        let log = RefusalLog("refusing connections: limit reached", interval: .seconds(3600), logger: Logger(label: "test") { _ in lines })
        for _ in 0..<10_000 { log.note("server.max_connections") }
        log.note("server.max_connections_per_uid (uid 1000)")
        // The first of each kind at once; the other 9,999 wait for the interval (or shutdown).
        #expect(lines.lines.withLock { $0.count } == 2)
        log.flush()
        #expect(lines.lines.withLock { $0.count } == 2, "inside the interval nothing more is logged")
        log.flush(force: true)
        let all = lines.lines.withLock { $0 }
        #expect(all.count == 3)
        #expect(all.last?.contains("refused=9999") == true, "\(all)")
    }

    static func call(_ principal: Principal, lifetime: StreamLifetime) -> ServerCall {
        var context = RequestContext(service: Grpc_Health_V1_Health.service.name, method: Grpc_Health_V1_Health.Method.watch.method,
                                     metadata: [], requestID: "", deadline: nil, peer: nil, baseLogger: Logger(label: "test"))
        context.principal = principal
        var router = Router()
        router.register(Grpc_Health_V1_Health.Method.watch.erased, .open, lifetime: lifetime, handler: .serverStreaming { _, _, _ in })
        let route = router.routes[Grpc_Health_V1_Health.Method.watch.path]!
        return ServerCall(route: route, context: context, authorization: nil)
    }

    @Test func longLivedStreamsAreCappedPerPrincipalAndForAllAnonymousCallersTogether() async throws {
        var limits = ServerLimits()
        limits.maxLongLivedStreamsAnonymous = 2
        let settings = LiveSettings(limits: limits)
        let streams = LongLivedStreams()
        let cap = LongLivedStreamCap(streams: streams, settings: settings)
        // Two anonymous watches held open; a third is refused, whoever the anonymous caller is.
        let release = AsyncStream<Void>.makeStream()
        let held = Task {
            try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await cap.intercept(Self.call(.anonymous, lifetime: .longLived)) { _ in
                            for await _ in release.stream {}
                            return []
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        for _ in 0..<1000 where streams.count("anonymous") < 2 { await Task.yield() }
        #expect(streams.count("anonymous") == 2)
        await #expect {
            _ = try await cap.intercept(Self.call(.anonymous, lifetime: .longLived)) { _ in [] }
        } throws: { error in
            let e = error as? RPCError
            return e?.code == .resourceExhausted && e?.reason == "TOO_MANY_LONG_LIVED_STREAMS"
        }
        // Finite streams and unary calls are not counted.
        _ = try await cap.intercept(Self.call(.anonymous, lifetime: .finite)) { _ in [] }
        release.continuation.finish()
        try await held.value
        #expect(streams.count("anonymous") == 0, "slots are given back when the streams end")
        _ = try await cap.intercept(Self.call(.anonymous, lifetime: .longLived)) { _ in [] }
    }
}
