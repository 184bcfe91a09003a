import ArgumentParser
import COIProto

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the server and its plugins.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        let server = try await session.call(Coi_Core_V1_Introspection.Method.server, Coi_Core_V1_ServerRequest())
        let plugins = try await session.call(Coi_Core_V1_Introspection.Method.plugins, Coi_Core_V1_PluginsRequest())
        let health = try await session.call(Grpc_Health_V1_Health.Method.check, Grpc_Health_V1_HealthCheckRequest())
        if options.json {
            Output.json([
                "version": server.version, "pid": server.pid, "uptime_seconds": server.uptimeSeconds,
                "started_at": server.startedAt, "listeners": server.listeners, "database": server.databasePath,
                "state_directory": server.stateDirectory, "config_file": server.configFile,
                "open_connections": server.openConnections, "sqlite_version": server.sqliteVersion,
                "health": Health.name(health.status),
                "plugins": plugins.plugins.map { ["id": $0.id, "status": Plugins.name($0.status)] },
            ] as [String: Any])
            return
        }
        let ok = plugins.plugins.filter { $0.status == .ok }.count
        Output.table(["FIELD", "VALUE"], [
            ["health", Health.name(health.status)],
            ["version", server.version],
            ["pid", "\(server.pid)"],
            ["uptime", "\(server.uptimeSeconds)s (since \(server.startedAt))"],
            ["listeners", server.listeners.joined(separator: ", ")],
            ["database", server.databasePath],
            ["sqlite", server.sqliteVersion],
            ["config", server.configFile.isEmpty ? "(defaults)" : server.configFile],
            ["connections", "\(server.openConnections)"],
            ["plugins", "\(ok) of \(plugins.plugins.count) ok"],
        ])
    }
}
