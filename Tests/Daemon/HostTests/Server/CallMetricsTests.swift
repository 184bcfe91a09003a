@testable import COIHost
import COIPluginKit
import COIProto
import COIRPC
import Prometheus
import Testing

/// Calls are counted per method by the route's index in the route table (issue 15), and a route
/// whose index another method already holds still counts under its own name.
@Suite struct CallMetricsTests {
    static func route(_ rpc: AnyRPC, index: Int) throws -> MethodRoute {
        var router = Router()
        router.register(rpc, .open, handler: .unary { _, _ in [] })
        var route = try #require(router.routes[rpc.path])
        route.index = index
        return route
    }

    @Test func callsAreCountedUnderTheirOwnMethodEvenWhenIndexesCollide() throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = CallMetrics(factory: DaemonMetricsFactory(registry: registry))
        let echo = try Self.route(Coi_Core_V1_Diagnostics.Method.echo.erased, index: 0)
        let check = try Self.route(Grpc_Health_V1_Health.Method.check.erased, index: 0)
        let unindexed = try Self.route(Coi_Core_V1_Diagnostics.Method.writeCanary.erased, index: -1)
        metrics.finished(echo, .ok, after: .milliseconds(1))
        metrics.finished(echo, .ok, after: .milliseconds(1))
        metrics.finished(check, .ok, after: .milliseconds(1))
        metrics.finished(echo, .notFound, after: .milliseconds(1))
        metrics.finished(unindexed, .ok, after: .milliseconds(1))
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        let calls = text.split(separator: "\n").filter { $0.hasPrefix(MetricCatalog.calls + "{") }.map(String.init)
        func count(_ method: String, _ code: String) -> String? {
            calls.first { $0.contains("method=\"\(method)\"") && $0.contains("code=\"\(code)\"") }?.split(separator: " ").last.map(String.init)
        }
        #expect(count("Echo", "OK") == "2", "\(calls)")
        #expect(count("Echo", "NOT_FOUND") == "1", "\(calls)")
        #expect(count("Check", "OK") == "1", "\(calls)")
        #expect(count("WriteCanary", "OK") == "1", "\(calls)")
        #expect(calls.count == 4, "\(calls)")
    }
}
