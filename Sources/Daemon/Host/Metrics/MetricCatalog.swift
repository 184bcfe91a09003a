import COIPluginKit

/// Every metric coid exports, with its help text and, for histograms, its buckets: the one place a
/// metric is named. swift-metrics' API carries only a label, so `DaemonMetricsFactory` looks the
/// rest up here; a label missing from the catalog is a programming error caught by the tests (the
/// exposition would lack its `# HELP` line, which `promtool check metrics` reports).
enum MetricCatalog {
    struct Entry: Sendable {
        let help: String
        /// Upper bounds of a histogram's buckets (seconds for timers); empty for other kinds.
        let buckets: [Double]

        init(_ help: String, buckets: [Double] = []) {
            self.help = help
            self.buckets = buckets
        }
    }

    static let calls = "coid_calls_total"
    static let callDuration = "coid_call_duration_seconds"
    static let openStreams = "coid_open_streams"
    static let openConnections = "coid_open_connections"
    static let databaseBytes = "coid_database_size_bytes"
    static let walBytes = "coid_database_wal_size_bytes"
    static let groupCommitBatch = GroupCommitWriter.batchSizeMetric
    static let pluginStatus = "coid_plugin_status"
    static let buildInfo = "coid_build_info"
    static let startTime = "process_start_time_seconds"
    static let authFailures = "coid_authentication_failures_total"
    static let permissionDenials = "coid_permission_denials_total"
    static let securityLogSuppressed = "coid_security_log_suppressed_total"

    static let entries: [String: Entry] = [
        calls: Entry("Calls that reached their method, by service, method and final status code (OK or the error)."),
        callDuration: Entry("Time from a call's Request to its final status, by service and method.",
                            buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]),
        openStreams: Entry("Calls in progress (open streams) over all connections."),
        openConnections: Entry("Client connections open on every listener."),
        databaseBytes: Entry("Size of the SQLite database file."),
        walBytes: Entry("Size of the SQLite write-ahead log (coid.db-wal)."),
        groupCommitBatch: Entry("Writes committed together in one group-commit transaction, by writer.",
                                buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]),
        pluginStatus: Entry("1 for the plugin's current status (ok, skipped or error), 0 for the others."),
        buildInfo: Entry("Always 1; the labels name the coid version and the SQLite library in use."),
        startTime: Entry("Start time of the coid process since the Unix epoch."),
        authFailures: Entry("Calls refused at authentication, by reason (TOKEN_UNKNOWN, TOKEN_REVOKED, TOKEN_EXPIRED, ACCOUNT_SUSPENDED …)."),
        permissionDenials: Entry("Calls refused for lack of a permission, by service and method."),
        securityLogSuppressed: Entry("Security events counted but not logged because the journal rate limit was reached."),
    ]

    /// The entry for a metric name; a name missing here gets an entry that says so.
    static func entry(_ name: String) -> Entry {
        entries[name] ?? Entry("(undocumented)")
    }
}
