import COIProto
import COIWire
import Foundation
import SwiftProtobuf
import Testing

/// One real coid with the nominations plugin, called through the socket by the real client (as the
/// local admin or with a person's token) and by the real coictl.
struct NominationsWorld {
    let cli: IdentityCLI
    let admin: ClientConnection

    static let campaigns = "coi.nominations.v1.Campaigns"
    static let nominations = "coi.nominations.v1.Nominations"
    static let jury = "coi.nominations.v1.Jury"
    static let results = "coi.nominations.v1.Results"
    static let storms = "coi.nominations.v1.IdeaStorms"

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
    func call<Reply: Message>(_ service: String, _ method: String, _ request: some Message, token: String? = nil,
                              as: Reply.Type = Reply.self) async throws -> Reply {
        guard let token else { return try await admin.call(service, method, request, as: Reply.self) }
        let connection = try await cli.daemon.connect()
        defer { Task { await connection.close() } }
        return try await connection.call(service, method, request, as: Reply.self, metadata: [("authorization", "Bearer \(token)")])
    }

    /// Expects a call to fail with `code`, its message mentioning every one of `mentions`.
    func rejected<Reply: Message>(_ code: StatusCode, mentions: [String] = [], _ service: String, _ method: String, _ request: some Message,
                                  token: String? = nil, as: Reply.Type, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        do {
            _ = try await call(service, method, request, token: token, as: Reply.self)
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
        try await call(Self.nominations, "Submit", Coi_Nominations_V1_SubmitNominationRequest.with {
            $0.campaignID = campaign
            $0.nominees = nominees.map { name in .with { $0.name = name } }
            $0.workplace = workplace
            $0.municipalityCode = municipality
            $0.title = title
            $0.idea = "The idea behind \(title)."
            $0.difference = "It saved colleagues an hour a week."
        }, token: token, as: Coi_Nominations_V1_Nomination.self)
    }

    func nomination(_ id: String, token: String? = nil) async throws -> Coi_Nominations_V1_Nomination {
        try await call(Self.nominations, "Get", Coi_Nominations_V1_GetNominationRequest.with { $0.id = id }, token: token,
                       as: Coi_Nominations_V1_Nomination.self)
    }

    func list(_ campaign: String, token: String? = nil, configure: (inout Coi_Nominations_V1_ListNominationsRequest) -> Void = { _ in })
        async throws -> [Coi_Nominations_V1_Nomination] {
        var request = Coi_Nominations_V1_ListNominationsRequest.with { $0.campaignID = campaign }
        configure(&request)
        return try await call(Self.nominations, "List", request, token: token, as: Coi_Nominations_V1_ListNominationsReply.self).nominations
    }

    /// Reads a server stream to its end.
    func stream<Reply: Message>(_ service: String, _ method: String, _ request: some Message, as: Reply.Type) async throws -> [Reply] {
        let stream = admin.stream(service: service, method: method, payload: try request.serializedBytes(), clientStreaming: false,
                                  timeout: .seconds(30))
        var replies: [Reply] = []
        for try await bytes in stream.replies { replies.append(try Reply(serializedBytes: bytes)) }
        return replies
    }
}
