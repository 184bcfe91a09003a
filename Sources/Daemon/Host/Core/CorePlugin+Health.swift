import COIPluginKit
import COIProto
import COIWire

extension CorePlugin {
    typealias HealthReply = Grpc_Health_V1_HealthCheckResponse

    func registerHealth(_ router: inout Router) {
        let status = self.status
        router.unary(Grpc_Health_V1_Health.Method.check, .open) { (request: Grpc_Health_V1_HealthCheckRequest, _) -> HealthReply in
            guard let serving = status.health(of: request.service) else {
                throw RPCError(.notFound, "unknown service \"\(request.service)\"", reason: "UNKNOWN_SERVICE")
            }
            return .with { $0.status = serving }
        }
        router.serverStreaming(Grpc_Health_V1_Health.Method.watch, .open, lifetime: .longLived) { (request: Grpc_Health_V1_HealthCheckRequest, _, writer: ResponseWriter<HealthReply>) in
            let changes = status.changes()
            var last: HealthReply.ServingStatus?
            func sendIfChanged() async throws {
                let current = status.health(of: request.service) ?? .serviceUnknown
                if current != last {
                    last = current
                    try await writer.send(.with { $0.status = current })
                }
            }
            try await sendIfChanged()
            for await _ in changes {
                try await sendIfChanged()
            }
        }
    }
}
