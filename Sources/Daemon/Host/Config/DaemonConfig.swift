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

/// A configuration problem, naming the file, the key and the reason.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var file: String?
    public var line: Int?
    public var key: String?
    public var reason: String

    public var description: String {
        var parts: [String] = []
        parts.append(file ?? "configuration")
        if let line { parts.append("line \(line)") }
        if let key { parts.append("key \(key)") }
        return parts.joined(separator: ": ") + ": " + reason
    }
}
