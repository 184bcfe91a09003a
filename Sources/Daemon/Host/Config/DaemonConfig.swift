public import COIPluginKit
import Foundation
public import Logging

/// The daemon's configuration: defaults, then the config file, then `COID_*` environment
/// variables, then command-line flags, each overriding the one before.
public struct DaemonConfig: Sendable {
    /// The config file read, or nil when running on defaults.
    public var file: String?
    /// Where the database and other state live.
    public var stateDirectory: String
    public var logLevel: Logger.Level = .info
    public var disabledPlugins: [String] = []
    public var requiredPlugins: [String] = []
    public var socketPath: String
    public var socketMode: UInt32 = 0o660
    /// Group given to the socket; nil keeps the daemon's own group.
    public var socketGroup: String?
    /// `[server.tls]`: the TCP+TLS listener for remote integrations (always a `.tls` address); nil when off.
    public var tlsListener: ListenAddress?
    public var limits = ServerLimits()
    /// The database file; defaults to `<state_dir>/coid.db`.
    public var databasePath: String
    public var synchronous: Store.Synchronous = .full
    public var busyTimeoutMilliseconds = 5000
    /// `database.group_commit`: concurrent writes share transactions (and fsyncs); off only to measure that.
    public var groupCommit = true
    /// `[plugins."<id>"]` sections by plugin id.
    public var pluginSections: [String: TOMLTable] = [:]
    /// Plugins whose `anonymous_read = true`: their read methods need no identity.
    public var anonymousReadPlugins: Set<String> = []
    /// The `[plugins."coi.identity"]` section.
    public var identity = IdentitySettings()
    /// The `[metrics]` section.
    public var metrics = MetricsSettings()

    /// Values given on the command line; nil means not given.
    public struct Overrides: Sendable {
        public var file: String?
        public var stateDirectory: String?
        public var socketPath: String?
        public var logLevel: String?
        public init(file: String? = nil, stateDirectory: String? = nil, socketPath: String? = nil, logLevel: String? = nil) {
            self.file = file
            self.stateDirectory = stateDirectory
            self.socketPath = socketPath
            self.logLevel = logLevel
        }
    }

    /// The development default: state (and socket) under `.state/` in the working directory, or
    /// under the directories systemd names when it runs coid without a config file.
    init(environment: [String: String]) {
        let cwd = FileManager.default.currentDirectoryPath
        stateDirectory = environment["STATE_DIRECTORY"].flatMap { $0.split(separator: ":").first.map(String.init) } ?? cwd + "/.state"
        socketPath = environment["RUNTIME_DIRECTORY"].flatMap { $0.split(separator: ":").first.map { $0 + "/coid.sock" } }
            ?? stateDirectory + "/coid.sock"
        databasePath = stateDirectory + "/coid.db"
    }

    /// A plugin's config section (empty if the file has none).
    /// - Parameter pluginID: The plugin's id.
    /// - Returns: The section.
    public func pluginConfig(_ pluginID: String) -> PluginConfig {
        PluginConfig(table: pluginSections[pluginID] ?? TOMLTable(), file: file)
    }
}

/// A configuration problem, naming the file, the key and the reason; with `more`, every other
/// problem found in the same load.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    /// A dotted key in the file; "--flag" for a command-line option; "$NAME" for an environment variable.
    public var key: String?
    public var reason: String
    /// The other problems found at the same time, in order.
    public var more: [ConfigError] = []

    public init(file: String? = nil, line: Int? = nil, key: String? = nil, reason: String) {
        self.file = file
        self.line = line
        self.key = key
        self.reason = reason
    }

    /// Every problem, this one first, each without `more`.
    public var all: [ConfigError] {
        var first = self
        first.more = []
        return [first] + more.flatMap(\.all)
    }

    /// One problem per line.
    public var description: String { all.map(\.text).joined(separator: "\n") }

    /// This problem alone, e.g. `/etc/coid/coid.toml: key server.max_connections: must be an integer, is a string`
    /// or `environment variable COID_LOG_LEVEL: unknown level "loud"; …`.
    private var text: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let line { parts.append("line \(line)") }
        if let key {
            if key.hasPrefix("$") {
                parts.append("environment variable \(key.dropFirst())")
            } else if key.hasPrefix("--") {
                parts.append("option \(key)")
            } else {
                parts.append("key \(key)")
            }
        }
        if parts.isEmpty { parts.append("configuration") }
        return parts.joined(separator: ": ") + ": " + reason
    }
}
