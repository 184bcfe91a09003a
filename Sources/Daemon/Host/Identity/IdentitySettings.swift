import COIPluginKit

/// The `[plugins."coi.identity"]` section: who counts as an admin and how fast a principal may call.
public struct IdentitySettings: Sendable, Equatable {
    /// Members of this Unix group (and uid 0) are admins on the local socket.
    public var adminGroup = "coi-admin"
    /// Sustained calls per second per principal; 0 disables rate limiting.
    public var ratePerSecond: Double = 0
    /// Calls a principal may make in a burst above the sustained rate.
    public var rateBurst: Double = 200
    /// Seconds between "audit head" lines in the journal (anchors to keep elsewhere); 0 = only at
    /// start and stop.
    public var auditAnchorIntervalSeconds = 3600
    /// Security events (failed authentication, refused permissions) logged per minute, sustained.
    public var securityLogPerMinute = 60
    /// Security events logged at once above the sustained rate.
    public var securityLogBurst = 20

    public init() {}

    /// The commented default section, for `coid config default`.
    static let defaultText = """
        # Members of this Unix group are admins on the local socket, as is root.
        admin_group = "coi-admin"
        # Per principal (account, token or local user): sustained calls per second and burst.
        # 0 = no limit. Exceeding it answers RESOURCE_EXHAUSTED. Live on SIGHUP.
        rate_limit_per_second = 0
        rate_limit_burst = 200
        # Every so many seconds the audit log's newest sequence and hash are logged ("audit head"),
        # as at start and stop, so the journal (or wherever it is shipped) keeps anchors that reveal
        # removed entries. 0 = only at start and stop. Takes effect at restart.
        audit_anchor_interval_seconds = 3600
        # Failed authentication and refused permissions are logged at notice with the peer, at most
        # this many a minute after a burst (all are counted in metrics). Live on SIGHUP.
        security_log_per_minute = 60
        security_log_burst = 20
        """

    /// Reads the section.
    /// - Parameters:
    ///   - section: The parsed table (empty when the file has none).
    ///   - file: The config file, for errors.
    /// - Throws: `ConfigError` naming the key and reason.
    init(section: TOMLTable, file: String) throws(ConfigError) {
        var reader = TableReader(table: section, path: "plugins.\"coi.identity\"", file: file)
        var problems = ConfigProblems()
        if let group = problems.take({ () throws(ConfigError) in try reader.string("admin_group") }) { adminGroup = group }
        if let rate = problems.take({ () throws(ConfigError) in try reader.integer("rate_limit_per_second", in: 0...10_000_000) }) {
            ratePerSecond = Double(rate)
        }
        if let burst = problems.take({ () throws(ConfigError) in try reader.integer("rate_limit_burst", in: 1...10_000_000) }) {
            rateBurst = Double(burst)
        }
        if let interval = problems.take({ () throws(ConfigError) in try reader.integer("audit_anchor_interval_seconds", in: 0...31_536_000) }) {
            auditAnchorIntervalSeconds = Int(interval)
        }
        if let rate = problems.take({ () throws(ConfigError) in try reader.integer("security_log_per_minute", in: 1...1_000_000) }) {
            securityLogPerMinute = Int(rate)
        }
        if let burst = problems.take({ () throws(ConfigError) in try reader.integer("security_log_burst", in: 1...1_000_000) }) {
            securityLogBurst = Int(burst)
        }
        problems.add(reader.unknownKeys())
        try problems.throwIfAny()
    }
}
