import ArgumentParser
import COIProto
import COIRPC

struct Plugins: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Inspect plugins.", subcommands: [List.self])

    struct List: UnaryCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List plugins with their status.", aliases: ["list"])
        static let rpc = Coi_Core_V1_Introspection.Method.plugins
        @OptionGroup var options: GlobalOptions

        func request() -> Coi_Core_V1_PluginsRequest { .init() }

        func render(_ reply: Coi_Core_V1_PluginsReply) {
            if options.json { return Output.jsonLines(reply.plugins.map(ProtoJSON.value)) }
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
