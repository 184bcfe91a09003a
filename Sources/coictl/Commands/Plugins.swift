import ArgumentParser
import COIProto

struct Plugins: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Inspect plugins.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List plugins with their status.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            let reply = try await session.call(Coi_Core_V1_Introspection.Method.plugins, Coi_Core_V1_PluginsRequest())
            if options.json {
                Output.json(reply.plugins.map {
                    ["id": $0.id, "status": Plugins.name($0.status), "reason": $0.reason, "requires": $0.requires,
                     "services": $0.services, "schema_version": $0.schemaVersion, "permissions": $0.permissions] as [String: Any]
                })
                return
            }
            Output.table(["ID", "STATUS", "REQUIRES", "SERVICES", "REASON"], reply.plugins.map {
                [$0.id, Plugins.name($0.status), $0.requires.isEmpty ? "-" : $0.requires.joined(separator: ","),
                 "\($0.services.count)", $0.reason.isEmpty ? "-" : $0.reason]
            })
        }
    }

    static func name(_ status: Coi_Core_V1_PluginInfo.Status) -> String {
        switch status {
        case .ok: "ok"
        case .skipped: "skipped"
        case .error: "error"
        default: "unknown"
        }
    }
}
