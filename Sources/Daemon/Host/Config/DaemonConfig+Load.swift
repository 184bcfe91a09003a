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
        // Every problem is collected, so one run of `coid config check` shows all of them.
        var problems = ConfigProblems()
        let fileFromEnvironment = overrides.file == nil
        if let file = overrides.file ?? environment["COID_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            let source = fileFromEnvironment ? "named by environment variable COID_CONFIG" : "given with --config"
            switch readText(file) {
            case let .success(text):
                problems.run { () throws(ConfigError) in try config.apply(text: text, file: file) }
            case let .failure(why):
                problems.add(ConfigError(file: file, reason: "\(why.reason) (\(source))"))
            }
        }
        if let state = overrides.stateDirectory ?? environment["COID_STATE_DIR"] {
            let key = overrides.stateDirectory != nil ? "--state-dir" : "$COID_STATE_DIR"
            problems.run { () throws(ConfigError) in
                try config.setStateDirectory(state, key: key, explicitDatabase: false, inFile: false)
            }
        }
        if let socket = overrides.socketPath ?? environment["COID_SOCKET"] {
            if socket.isEmpty {
                problems.add(ConfigError(key: overrides.socketPath != nil ? "--socket" : "$COID_SOCKET", reason: "must not be empty"))
            } else {
                config.socketPath = absolute(socket)
            }
        }
        if let level = overrides.logLevel ?? environment["COID_LOG_LEVEL"] {
            if let parsed = Logger.Level(rawValue: level) {
                config.logLevel = parsed
            } else {
                problems.add(ConfigError(key: overrides.logLevel != nil ? "--log-level" : "$COID_LOG_LEVEL",
                                         reason: unknownLevel(level)))
            }
        }
        try problems.throwIfAny()
        return config
    }

    /// Why a file cannot be read, in plain words.
    struct Unreadable: Error {
        let reason: String
    }

    /// The file's text, or why it cannot be had: a missing file says "no such file", not an NSError.
    static func readText(_ file: String) -> Result<String, Unreadable> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            return .failure(Unreadable(reason: "no such file"))
        }
        if isDirectory.boolValue { return .failure(Unreadable(reason: "is a directory, not a config file")) }
        guard FileManager.default.isReadableFile(atPath: file) else {
            return .failure(Unreadable(reason: "cannot be read: permission denied (coid runs as \(ProcessInfo.processInfo.userName))"))
        }
        guard let data = FileManager.default.contents(atPath: file) else { return .failure(Unreadable(reason: "cannot be read")) }
        guard let text = String(data: data, encoding: .utf8) else { return .failure(Unreadable(reason: "is not UTF-8 text")) }
        return .success(text)
    }

    static func unknownLevel(_ level: String) -> String {
        let suggestion = ConfigProblems.closest(to: level, among: Logger.Level.allCases.map(\.rawValue)).map { "did you mean \"\($0)\"? " } ?? ""
        return "unknown level \"\(level)\"; \(suggestion)use one of \(levels)"
    }

    static let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    private var databaseIsDefault: Bool { databasePath == stateDirectory + "/coid.db" }
    private var socketIsDefault: Bool { socketPath == stateDirectory + "/coid.sock" }

    mutating func setStateDirectory(_ path: String, key: String, explicitDatabase: Bool, inFile: Bool = true) throws(ConfigError) {
        guard !path.isEmpty else { throw ConfigError(file: inFile ? file : nil, key: key, reason: "must not be empty") }
        let moveDatabase = databaseIsDefault && !explicitDatabase
        let moveSocket = socketIsDefault
        stateDirectory = Self.absolute(path)
        if moveDatabase { databasePath = stateDirectory + "/coid.db" }
        if moveSocket { socketPath = stateDirectory + "/coid.sock" }
    }

    /// Applies a config file's text over the current values.
    /// - Throws: Every problem in the file (a syntax error stops parsing, so it comes alone).
    mutating func apply(text: String, file: String) throws(ConfigError) {
        self.file = file
        let root: TOMLTable
        do {
            root = try TOML.parse(text)
        } catch {
            throw ConfigError(file: file, line: error.line, key: error.key, reason: error.message)
        }
        var problems = ConfigProblems()
        var reader = TableReader(table: root, path: "", file: file)
        if let version = problems.take({ () throws(ConfigError) in try reader.integer("version") }), version != 1 {
            problems.add(ConfigError(file: file, key: "version", reason: "unsupported config version \(version); this coid reads version 1"))
        }
        if let level = problems.take({ () throws(ConfigError) in try reader.string("log_level") }) {
            if let parsed = Logger.Level(rawValue: level) {
                logLevel = parsed
            } else {
                problems.add(ConfigError(file: file, key: "log_level", reason: Self.unknownLevel(level)))
            }
        }
        disabledPlugins = problems.take { () throws(ConfigError) in try reader.strings("disabled_plugins") } ?? disabledPlugins
        requiredPlugins = problems.take { () throws(ConfigError) in try reader.strings("required_plugins") } ?? requiredPlugins
        var server = problems.table(&reader, "server")
        var database = problems.table(&reader, "database")
        let databasePathValue = problems.take { () throws(ConfigError) in try database.string("path") }
        if let state = problems.take({ () throws(ConfigError) in try reader.string("state_dir") }) {
            problems.run { () throws(ConfigError) in
                try setStateDirectory(state, key: "state_dir", explicitDatabase: !(databasePathValue ?? "").isEmpty)
            }
        }
        if let socket = problems.take({ () throws(ConfigError) in try server.string("socket") }) {
            if socket.isEmpty {
                problems.add(ConfigError(file: file, key: "server.socket", reason: "must not be empty"))
            } else {
                socketPath = Self.absolute(socket)
            }
        }
        if let mode = problems.take({ () throws(ConfigError) in try server.string("socket_mode") }) {
            if let parsed = UInt32(mode, radix: 8), parsed <= 0o777 {
                socketMode = parsed
            } else {
                problems.add(ConfigError(file: file, key: "server.socket_mode", reason: "must be an octal mode such as \"0660\", is \"\(mode)\""))
            }
        }
        if let group = problems.take({ () throws(ConfigError) in try server.string("socket_group") }) { socketGroup = group.isEmpty ? nil : group }
        if let value = problems.take({ () throws(ConfigError) in try server.integer("max_connections", in: 1...1_000_000) }) {
            limits.maxConnections = Int(value)
        }
        if let value = problems.take({ () throws(ConfigError) in try server.integer("max_connections_per_uid", in: 1...1_000_000) }) {
            limits.maxConnectionsPerUID = Int(value)
        }
        if let value = problems.take({ () throws(ConfigError) in try server.integer("max_anonymous_connections", in: 0...1_000_000) }) {
            limits.maxAnonymousConnections = Int(value)
        }
        if let value = problems.take({ () throws(ConfigError) in try server.integer("max_long_lived_streams_per_principal", in: 1...100_000) }) {
            limits.maxLongLivedStreamsPerPrincipal = Int(value)
        }
        if let value = problems.take({ () throws(ConfigError) in try server.integer("max_long_lived_streams_anonymous", in: 0...100_000) }) {
            limits.maxLongLivedStreamsAnonymous = Int(value)
        }
        if let value = problems.take({ () throws(ConfigError) in try server.integer("max_concurrent_streams", in: 1...100_000) }) {
            limits.maxConcurrentStreams = Int(value)
        }
        if let value = problems.take({ () throws(ConfigError) in try server.integer("max_buffered_bytes", in: 65_536...(1 << 34)) }) {
            limits.maxBufferedBytes = Int(value)
        }
        if let value = problems.take({ () throws(ConfigError) in try server.integer("idle_timeout_seconds", in: 0...86_400 * 7) }) {
            limits.idleTimeout = value == 0 ? nil : .seconds(value)
        }
        if let value = problems.take({ () throws(ConfigError) in try server.integer("shutdown_grace_seconds", in: 0...3600) }) {
            limits.shutdownGrace = .seconds(value)
        }
        var tls = problems.table(&server, "tls")
        let tlsListen = problems.take { () throws(ConfigError) in try tls.string("listen") } ?? ""
        let tlsCertificate = problems.take { () throws(ConfigError) in try tls.string("certificate") } ?? ""
        let tlsKey = problems.take { () throws(ConfigError) in try tls.string("private_key") } ?? ""
        tlsListener = problems.take { () throws(ConfigError) in
            try Self.tlsListener(listen: tlsListen, certificate: tlsCertificate, privateKey: tlsKey, file: file)
        }
        if let path = databasePathValue, !path.isEmpty { databasePath = Self.absolute(path) }
        if let sync = problems.take({ () throws(ConfigError) in try database.string("synchronous") }) {
            if let parsed = Store.Synchronous(rawValue: sync) {
                synchronous = parsed
            } else {
                problems.add(ConfigError(file: file, key: "database.synchronous", reason: "must be \"full\" or \"normal\", is \"\(sync)\""))
            }
        }
        if let value = problems.take({ () throws(ConfigError) in try database.integer("busy_timeout_ms", in: 0...600_000) }) {
            busyTimeoutMilliseconds = Int(value)
        }
        if let value = problems.take({ () throws(ConfigError) in try database.boolean("group_commit") }) {
            groupCommit = value
        }
        var metricsSection = problems.table(&reader, "metrics")
        problems.run { () throws(ConfigError) in metrics = try MetricsSettings(reading: &metricsSection, file: file) }
        let plugins = problems.table(&reader, "plugins")
        for id in plugins.table.keys.sorted() {
            guard case let .table(section)? = plugins.table[id] else {
                problems.add(ConfigError(file: file, key: "plugins.\"\(id)\"", reason: "must be a table, e.g. [plugins.\"\(id)\"]"))
                continue
            }
            var pluginSection = section
            if let value = pluginSection["anonymous_read"] {
                if case let .boolean(enabled) = value {
                    if enabled { anonymousReadPlugins.insert(id) }
                } else {
                    problems.add(ConfigError(file: file, key: "plugins.\"\(id)\".anonymous_read", reason: "must be a boolean, is \(value.typeName)"))
                }
                // The host's key, not the plugin's: the plugin never sees it.
                pluginSection["anonymous_read"] = nil
            }
            if id == "coi.identity" {
                problems.run { () throws(ConfigError) in identity = try IdentitySettings(section: pluginSection, file: file) }
            }
            pluginSections[id] = pluginSection
        }
        // Unknown keys last, once every reader knows its keys: a key in the wrong table is found too.
        let known = [reader, server, tls, database].flatMap(\.knownNames)
        for table in [reader, server, tls, database] { problems.add(table.unknownKeys(known: known)) }
        try problems.throwIfAny()
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

    mutating func boolean(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case let .boolean(boolean) = value else { throw wrongType(key, "a boolean (true or false)", value) }
        return boolean
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

    /// The full names of the keys this table knows (every key asked for).
    var knownNames: [String] { consumed.map(name) }

    /// Every key nobody asked for, each with the closest known key as a suggestion.
    /// - Parameter known: Known full names in other tables too: a key put in the wrong table is
    ///   pointed to the right one.
    func unknownKeys(known: [String] = []) -> [ConfigError] {
        table.keys.filter { !consumed.contains($0) }.sorted().map { key in
            let suggestion = ConfigProblems.closest(to: key, among: Array(consumed)).map(name)
                ?? known.first { $0.split(separator: ".").last.map(String.init) == key && $0 != name(key) }
            let hint = suggestion.map { "; did you mean \($0)?" } ?? ""
            return ConfigError(file: file, key: name(key), reason: "unknown key\(hint) (`coid config default` lists every key)")
        }
    }

}

extension TableReader {
    /// Throws every key nobody asked for, for sections that stop at their first problem.
    func rejectUnknown() throws(ConfigError) {
        var problems = ConfigProblems()
        problems.add(unknownKeys())
        try problems.throwIfAny()
    }
}
