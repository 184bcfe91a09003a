import COIProto
import COIRPC
import COIWire
import Foundation
import SwiftProtobuf
import Testing

/// One real coid with the nominations plugin, called through the socket by the real client (as the
/// local admin or with a person's token) and by the real coictl.
struct NominationsWorld {
    let cli: IdentityCLI
    let admin: ClientConnection

    static func start() async throws -> NominationsWorld {
        let cli = try await IdentityCLI.start()
        return NominationsWorld(cli: cli, admin: try await cli.daemon.connect())
    }

    func stop() async {
        await admin.close()
        await cli.daemon.stop()
    }

    /// A person with a token: (account id, token).
    func person(_ name: String, workplace: String = "", municipality: Int = 0, roles: [String] = []) async throws -> (id: String, token: String) {
        var extra = ["--workplace", workplace, "--municipality", String(municipality)]
        for role in roles { extra += ["--role", role] }
        let id = try await cli.add(name, extra)
        return (id, try await cli.issue(id))
    }

    /// A unary call as the local admin, or as the token's holder.
    func call<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request, token: String? = nil) async throws -> Reply {
        guard let token else { return try await admin.call(rpc, request) }
        let connection = try await cli.daemon.connect()
        defer { Task { await connection.close() } }
        return try await connection.call(rpc, request, metadata: [("authorization", "Bearer \(token)")])
    }

    /// Expects a call to fail with `code`, its message mentioning every one of `mentions`.
    func rejected<Request: Message, Reply: Message>(_ code: StatusCode, mentions: [String] = [], _ rpc: RPC<Request, Reply>, _ request: Request,
                                                    token: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let method = rpc.method
        do {
            _ = try await call(rpc, request, token: token)
            Issue.record("\(method) succeeded; expected \(code.name)", sourceLocation: sourceLocation)
        } catch let error as RPCError {
            #expect(error.code == code, "\(method): \(error)", sourceLocation: sourceLocation)
            for text in mentions {
                #expect(error.message.contains(text) || error.fieldViolations.contains { $0.field.contains(text) },
                        "\(method): expected \"\(text)\" in \(error)", sourceLocation: sourceLocation)
            }
        }
    }

    func setPhase(_ campaign: String, _ phase: String) async throws {
        try await cli.ok(["nominations", "campaigns", "phase", campaign, phase])
    }

    func submit(_ campaign: String, token: String, nominees: [String], workplace: String, municipality: Int32,
                title: String) async throws -> Coi_Nominations_V1_Nomination {
        try await call(Coi_Nominations_V1_Nominations.Method.submit, Coi_Nominations_V1_SubmitNominationRequest.with {
            $0.campaignID = campaign
            $0.nominees = nominees.map { name in .with { $0.name = name } }
            $0.workplace = workplace
            $0.municipalityCode = municipality
            $0.title = title
            $0.idea = "The idea behind \(title)."
            $0.difference = "It saved colleagues an hour a week."
        }, token: token)
    }

    func nomination(_ id: String, token: String? = nil) async throws -> Coi_Nominations_V1_Nomination {
        try await call(Coi_Nominations_V1_Nominations.Method.get, Coi_Nominations_V1_GetNominationRequest.with { $0.id = id }, token: token)
    }

    func list(_ campaign: String, token: String? = nil, configure: (inout Coi_Nominations_V1_ListNominationsRequest) -> Void = { _ in })
        async throws -> [Coi_Nominations_V1_Nomination] {
        var request = Coi_Nominations_V1_ListNominationsRequest.with { $0.campaignID = campaign }
        configure(&request)
        return try await call(Coi_Nominations_V1_Nominations.Method.list, request, token: token).nominations
    }

    /// Reads a server stream to its end.
    func stream<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request) async throws -> [Reply] {
        let stream = try admin.stream(rpc, request, timeout: .seconds(30))
        var replies: [Reply] = []
        for try await reply in stream.replies { replies.append(reply) }
        return replies
    }
}
