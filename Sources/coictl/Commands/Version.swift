import ArgumentParser
import COIProto

struct Version: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print coictl's version and, if reachable, the server's.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        if !options.json { Output.line("coictl \(coictlVersion)") }
        do {
            let server = try await Session.with(options) { try await $0.call(Coi_Core_V1_Introspection.Method.server, .init()) }
            options.json ? Output.json(["coictl": coictlVersion, "coid": server.version]) : Output.line("coid \(server.version)")
        } catch {
            if options.json { Output.json(["coictl": coictlVersion]) }
            throw error
        }
    }
}
