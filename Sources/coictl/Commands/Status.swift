import ArgumentParser
import COIProto

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the server and its plugins.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let (server, plugins, health) = try await Session.with(options) { session in
            (try await session.call(Coi_Core_V1_Introspection.Method.server, .init()),
             try await session.call(Coi_Core_V1_Introspection.Method.plugins, .init()),
             try await session.call(Grpc_Health_V1_Health.Method.check, .init()))
        }
        if options.json {
            // The server's reply with the health and plugins beside it.
            var object = ProtoJSON.value(server) as? [String: Any] ?? [:]
            object["health"] = Health.name(health.status)
            object["plugins"] = plugins.plugins.map(ProtoJSON.value)
            return Output.json(object)
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
