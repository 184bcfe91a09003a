import ArgumentParser
import COIProto

struct Version: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print coictl's version and, if reachable, the server's.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        print("coictl \(coictlVersion)")
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        let server = try await session.call(Coi_Core_V1_Introspection.Method.server, Coi_Core_V1_ServerRequest())
        print("coid \(server.version)")
    }
}
