import COIPluginKit
public import Foundation
import Logging

extension DaemonConfig {
    /// Loads the configuration.
    /// - Parameters:
    ///   - overrides: Command-line values.
    ///   - environment: The process environment (`COID_CONFIG`, `COID_STATE_DIR`, `COID_SOCKET`, `COID_LOG_LEVEL`).
    /// - Returns: The configuration.
    /// - Throws: `ConfigError` naming file, key and reason.
    public static func load(overrides: Overrides = Overrides(),
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> DaemonConfig {
        var config = DaemonConfig(environment: environment)
        let file = overrides.file ?? environment["COID_CONFIG"]
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ConfigError(file: file, reason: "cannot read the file: \((error as NSError).localizedDescription)")
            }
            try config.apply(text: text, file: file)
        }
        let stateOverride = overrides.stateDirectory ?? environment["COID_STATE_DIR"]
        if let state = stateOverride {
            try config.setStateDirectory(state, key: "--state-dir", explicitDatabase: false)
        }
        if let socket = overrides.socketPath ?? environment["COID_SOCKET"] {
            config.socketPath = absolute(socket)
        }
        if let level = overrides.logLevel ?? environment["COID_LOG_LEVEL"] {
            guard let parsed = Logger.Level(rawValue: level) else {
                throw ConfigError(key: "log_level", reason: "unknown level \"\(level)\"; use one of \(Self.levels)")
            }
            config.logLevel = parsed
        }
        return config
    }

    static let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    private var databaseIsDefault: Bool { databasePath == stateDirectory + "/coid.db" }
    private var socketIsDefault: Bool { socketPath == stateDirectory + "/coid.sock" }

    mutating func setStateDirectory(_ path: String, key: String, explicitDatabase: Bool) throws(ConfigError) {
        guard !path.isEmpty else { throw ConfigError(file: file, key: key, reason: "must not be empty") }
        let moveDatabase = databaseIsDefault && !explicitDatabase
        let moveSocket = socketIsDefault
        stateDirectory = Self.absolute(path)
        if moveDatabase { databasePath = stateDirectory + "/coid.db" }
        if moveSocket { socketPath = stateDirectory + "/coid.sock" }
    }

    /// Applies a config file's text over the current values.
    mutating func apply(text: String, file: String) throws(ConfigError) {
        self.file = file
        let root: TOMLTable
        do {
            root = try TOML.parse(text)
        } catch {
            throw ConfigError(file: file, line: error.line, key: error.key, reason: error.message)
        }
        var reader = TableReader(table: root, path: "", file: file)
        if let version = try reader.integer("version"), version != 1 {
            throw ConfigError(file: file, key: "version", reason: "unsupported config version \(version); this coid reads version 1")
        }
        if let level = try reader.string("log_level") {
            guard let parsed = Logger.Level(rawValue: level) else {
                throw ConfigError(file: file, key: "log_level", reason: "unknown level \"\(level)\"; use one of \(Self.levels)")
            }
            logLevel = parsed
        }
        disabledPlugins = try reader.strings("disabled_plugins") ?? disabledPlugins
        requiredPlugins = try reader.strings("required_plugins") ?? requiredPlugins
        var server = try reader.table("server")
        var database = try reader.table("database")
        let databasePathValue = try database.string("path")
        if let state = try reader.string("state_dir") {
            try setStateDirectory(state, key: "state_dir", explicitDatabase: !(databasePathValue ?? "").isEmpty)
        }
        if let socket = try server.string("socket") {
            guard !socket.isEmpty else { throw ConfigError(file: file, key: "server.socket", reason: "must not be empty") }
            socketPath = Self.absolute(socket)
        }
        if let mode = try server.string("socket_mode") {
            guard let parsed = UInt32(mode, radix: 8), parsed <= 0o777 else {
                throw ConfigError(file: file, key: "server.socket_mode", reason: "must be an octal mode such as \"0660\", is \"\(mode)\"")
            }
            socketMode = parsed
        }
        if let group = try server.string("socket_group") { socketGroup = group.isEmpty ? nil : group }
        if let value = try server.integer("max_connections", in: 1...1_000_000) { limits.maxConnections = Int(value) }
        if let value = try server.integer("max_concurrent_streams", in: 1...100_000) { limits.maxConcurrentStreams = Int(value) }
        if let value = try server.integer("max_buffered_bytes", in: 65_536...(1 << 34)) { limits.maxBufferedBytes = Int(value) }
        if let value = try server.integer("idle_timeout_seconds", in: 0...86_400 * 7) { limits.idleTimeout = value == 0 ? nil : .seconds(value) }
        if let value = try server.integer("shutdown_grace_seconds", in: 0...3600) { limits.shutdownGrace = .seconds(value) }
        var tls = try server.table("tls")
        let tlsListen = try tls.string("listen") ?? ""
        let tlsCertificate = try tls.string("certificate") ?? ""
        let tlsKey = try tls.string("private_key") ?? ""
        try tls.rejectUnknown()
        tlsListener = try Self.tlsListener(listen: tlsListen, certificate: tlsCertificate, privateKey: tlsKey, file: file)
        if let path = databasePathValue, !path.isEmpty { databasePath = Self.absolute(path) }
        if let sync = try database.string("synchronous") {
            guard let parsed = Store.Synchronous(rawValue: sync) else {
                throw ConfigError(file: file, key: "database.synchronous", reason: "must be \"full\" or \"normal\", is \"\(sync)\"")
            }
            synchronous = parsed
        }
        if let value = try database.integer("busy_timeout_ms", in: 0...600_000) { busyTimeoutMilliseconds = Int(value) }
        var metricsSection = try reader.table("metrics")
        metrics = try MetricsSettings(reading: &metricsSection, file: file)
        var plugins = try reader.table("plugins")
        for id in plugins.table.keys {
            guard case let .table(section)? = plugins.table[id] else {
                throw ConfigError(file: file, key: "plugins.\"\(id)\"", reason: "must be a table, e.g. [plugins.\"\(id)\"]")
            }
            var pluginSection = section
            if let value = pluginSection["anonymous_read"] {
                guard case let .boolean(enabled) = value else {
                    throw ConfigError(file: file, key: "plugins.\"\(id)\".anonymous_read", reason: "must be a boolean, is \(value.typeName)")
                }
                if enabled { anonymousReadPlugins.insert(id) }
                // The host's key, not the plugin's: the plugin never sees it.
                pluginSection["anonymous_read"] = nil
            }
            if id == "coi.identity" {
                identity = try IdentitySettings(section: pluginSection, file: file)
            }
            pluginSections[id] = pluginSection
            plugins.consumed.insert(id)
        }
        try server.rejectUnknown()
        try database.rejectUnknown()
        try plugins.rejectUnknown()
        try reader.rejectUnknown()
    }

    /// The `[server.tls]` listener, or nil when `listen` is empty. Loads the PEM files now so that a
    /// missing or mismatched file stops start-up (and `coid config check`) rather than the first client.
    private static func tlsListener(listen: String, certificate: String, privateKey: String, file: String) throws(ConfigError) -> ListenAddress? {
        guard !listen.isEmpty else { return nil }
        do throws(TLSFileError) {
            let (host, port) = try ListenAddress.parseHostPort(listen)
            guard !certificate.isEmpty else {
                throw TLSFileError(key: "certificate", reason: "must name the PEM certificate chain file when listen is set")
            }
            guard !privateKey.isEmpty else {
                throw TLSFileError(key: "private_key", reason: "must name the PEM private key file when listen is set")
            }
            let (certificate, privateKey) = (absolute(certificate), absolute(privateKey))
            _ = try ListenAddress.serverTLSContext(certificate: certificate, privateKey: privateKey)
            return .tls(host: host, port: port, certificate: certificate, privateKey: privateKey)
        } catch {
            throw ConfigError(file: file, key: "server.tls.\(error.key)", reason: error.reason)
        }
    }
}

/// Reads typed keys out of one table, remembering which were read so that the rest can be
/// reported as unknown (a misspelt key must not be silently ignored).
struct TableReader {
    let table: TOMLTable
    let path: String
    let file: String
    var consumed: Set<String> = []

    init(table: TOMLTable, path: String, file: String) {
        self.table = table
        self.path = path
        self.file = file
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    private mutating func value(_ key: String) -> TOMLValue? {
        consumed.insert(key)
        return table[key]
    }

    private func wrongType(_ key: String, _ expected: String, _ value: TOMLValue) -> ConfigError {
        ConfigError(file: file, key: name(key), reason: "must be \(expected), is \(value.typeName)")
    }

    mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = value(key) else { return nil }
        guard case let .string(string) = value else { throw wrongType(key, "a string", value) }
        return string
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int64>? = nil) throws(ConfigError) -> Int64? {
        guard let value = value(key) else { return nil }
        guard case let .integer(integer) = value else { throw wrongType(key, "an integer", value) }
        if let range, !range.contains(integer) {
            throw ConfigError(file: file, key: name(key), reason: "must be between \(range.lowerBound) and \(range.upperBound), is \(integer)")
        }
        return integer
    }

    mutating func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = value(key) else { return nil }
        guard case let .array(items) = value else { throw wrongType(key, "an array of strings", value) }
        var strings: [String] = []
        for item in items {
            guard case let .string(string) = item else { throw wrongType(key, "an array of strings", item) }
            strings.append(string)
        }
        return strings
    }

    mutating func table(_ key: String) throws(ConfigError) -> TableReader {
        guard let value = value(key) else { return TableReader(table: TOMLTable(), path: name(key), file: file) }
        guard case let .table(table) = value else { throw wrongType(key, "a table", value) }
        return TableReader(table: table, path: name(key), file: file)
    }

    func rejectUnknown() throws(ConfigError) {
        if let unknown = table.keys.first(where: { !consumed.contains($0) }) {
            throw ConfigError(file: file, key: name(unknown), reason: "unknown key (see `coid config default` for the keys)")
        }
    }
}
