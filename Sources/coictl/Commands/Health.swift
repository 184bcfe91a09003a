import ArgumentParser
import COIProto
import COIRPC

struct Health: UnaryCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check health: of the daemon, or of the plugin serving SERVICE.",
        discussion: "Exits 0 when SERVING, 2 otherwise.")
    static let rpc = Grpc_Health_V1_Health.Method.check
    @OptionGroup var options: GlobalOptions
    @Argument(help: "A service name (e.g. coi.core.v1.Diagnostics) or plugin id; empty for the whole daemon.")
    var service: String = ""

    func request() -> Grpc_Health_V1_HealthCheckRequest { .with { $0.service = service } }

    func render(_ reply: Grpc_Health_V1_HealthCheckResponse) throws {
        options.json ? Output.json(["service": service, "status": Self.name(reply.status)]) : Output.line(Self.name(reply.status))
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
