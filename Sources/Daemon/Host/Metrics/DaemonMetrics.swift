public import CoreMetrics
import Foundation
import Prometheus

/// The daemon's metrics: one swift-prometheus registry behind a swift-metrics factory, the call
/// instruments the `MetricsInterceptor` records into, and the gauges that are read when the text
/// is asked for (database and WAL size, connections, plugin status, build info).
///
/// The three ways out — `coi.core.v1.Metrics/Get`, the HTTP listener and the textfile — all call
/// `exposition()`, so they always show the same thing.
public final class DaemonMetrics: Sendable {
    /// The MIME type of the exposition, as Prometheus expects it from an HTTP target.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let registry = PrometheusCollectorRegistry()
    /// What the rest of coid records through (swift-metrics' API).
    public let factory: any MetricsFactory
    let calls: CallMetrics
    /// Paths, connections and plugins, read at exposition time.
    private let status: HostStatus
    private let version: String

    /// Creates the metrics of one daemon (or in-process host).
    /// - Parameters:
    ///   - status: What the host reports about itself: database path, connections, plugins.
    ///   - version: coid's version, for `coid_build_info`.
    init(status: HostStatus, version: String) {
        let factory = DaemonMetricsFactory(registry: registry)
        self.factory = factory
        self.calls = CallMetrics(factory: factory)
        self.status = status
        self.version = version
        CoreMetrics.Gauge(label: MetricCatalog.startTime, factory: factory).record(Date().timeIntervalSince1970.rounded())
    }

    /// The metrics in Prometheus' text format, with every sampled gauge read now.
    /// - Returns: `# HELP`, `# TYPE` and sample lines.
    public func exposition() -> String {
        sample()
        return registry.emitToString()
    }

    private func sample() {
        let (path, sqlite) = status.state.withLock { ($0.databasePath, $0.sqliteVersion) }
        if !path.isEmpty {
            CoreMetrics.Gauge(label: MetricCatalog.databaseBytes, factory: factory).record(Self.size(of: path))
            CoreMetrics.Gauge(label: MetricCatalog.walBytes, factory: factory).record(Self.size(of: path + "-wal"))
        }
        CoreMetrics.Gauge(label: MetricCatalog.buildInfo, dimensions: [("version", version), ("sqlite_version", sqlite)], factory: factory).record(1)
        CoreMetrics.Gauge(label: MetricCatalog.openConnections, factory: factory).record(status.connections())
        for plugin in status.plugins {
            for candidate in [HostStatus.PluginState.Status.ok, .skipped, .error] {
                CoreMetrics.Gauge(label: MetricCatalog.pluginStatus, dimensions: [("plugin", plugin.id), ("status", candidate.rawValue)], factory: factory)
                    .record(plugin.status == candidate ? 1 : 0)
            }
        }
    }

    /// A file's size in bytes; 0 when it does not exist (no WAL yet, or after a checkpoint removed it).
    static func size(of path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}
