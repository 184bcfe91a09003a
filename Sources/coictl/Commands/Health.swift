import ArgumentParser
import COIProto

struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check health: of the daemon, or of the plugin serving SERVICE.",
        discussion: "Exits 0 when SERVING, 2 otherwise.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "A service name (e.g. coi.core.v1.Diagnostics) or plugin id; empty for the whole daemon.")
    var service: String = ""

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        let reply = try await session.call(Grpc_Health_V1_Health.Method.check, Grpc_Health_V1_HealthCheckRequest.with { $0.service = service })
        if options.json {
            Output.json(["service": service, "status": Self.name(reply.status)])
        } else {
            print(Self.name(reply.status))
        }
        if reply.status != .serving { throw ExitCode(2) }
    }

    static func name(_ status: Grpc_Health_V1_HealthCheckResponse.ServingStatus) -> String {
        switch status {
        case .serving: "SERVING"
        case .notServing: "NOT_SERVING"
        case .serviceUnknown: "SERVICE_UNKNOWN"
        default: "UNKNOWN"
        }
    }
}
