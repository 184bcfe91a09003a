import COIPluginKit
import COIProto
import COIWire
import SwiftProtobuf
import Testing
@testable import COIHost
@testable import COIWiki

/// `anonymous_read = true` opens the wiki's reads, never its writes, to callers with no identity
/// (a local user linked to no account).
@Suite struct WikiAnonymousReadTests {
    static let nobody = PeerCredentials(pid: 1, uid: 65534, gid: 65534)

    /// Calls a unary method as an unknown local user, the way the server admits it.
    func anonymous<Reply: Message>(_ wiki: WikiFixture, _ path: String, _ request: some Message, as: Reply.Type) async throws -> Reply {
        let route = try #require(wiki.router.routes[path])
        guard case let .unary(handler) = route.handler else { throw RPCError(.unimplemented, path) }
        var context = RequestContext(service: route.service, method: route.method, metadata: [], requestID: "", deadline: nil,
                                     peer: Self.nobody, baseLogger: WikiFixture.logger)
        try await wiki.identity.admit(route, &context, authorization: nil)
        return try Reply(serializedBytes: try await handler(try request.serializedBytes(), context))
    }

    func read(_ wiki: WikiFixture) async throws -> Coi_Wiki_V1_Page {
        try await anonymous(wiki, "coi.wiki.v1.Pages/Get", Coi_Wiki_V1_GetPageRequest.with { $0.title = "Åben side" },
                            as: Coi_Wiki_V1_Page.self)
    }

    func write(_ wiki: WikiFixture, base: String) async throws {
        _ = try await anonymous(wiki, "coi.wiki.v1.Pages/Save", Coi_Wiki_V1_SaveRequest.with {
            $0.title = "Åben side"
            $0.text = "anonymt forsøg"
            $0.baseRevisionID = base
        }, as: Coi_Wiki_V1_SaveReply.self)
    }

    @Test func readsOpenWritesNever() async throws {
        let wiki = try await WikiFixture(anonymousRead: true)
        let anna = try await wiki.person("Anna")
        let saved = try await wiki.save("Åben side", "Alle må læse denne side.", token: anna.token)
        let page = try await read(wiki)
        #expect(page.text == "Alle må læse denne side.")
        let refused = await rpcError { try await write(wiki, base: saved.revision.id) }
        #expect(refused?.code == .unauthenticated)
        #expect(try await wiki.get("Åben side", token: anna.token).revision.id == saved.revision.id)
    }

    @Test func closedByDefault() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        _ = try await wiki.save("Åben side", "Kun for kendte.", token: anna.token)
        let refused = await rpcError { _ = try await read(wiki) }
        #expect(refused?.code == .unauthenticated)
    }
}
