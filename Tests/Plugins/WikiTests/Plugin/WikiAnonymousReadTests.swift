import COIHostTesting
import COIPluginKit
import COIProto
import COIRPC
import COIWire
import SwiftProtobuf
import Testing
@testable import COIWiki

/// `anonymous_read = true` opens the wiki's reads, never its writes, to callers with no identity
/// (a local user linked to no account).
@Suite struct WikiAnonymousReadTests {
    /// Calls a unary method as an unknown local user (no account), through the server's pipeline.
    func anonymous<Request: Message, Reply: Message>(_ wiki: WikiFixture, _ rpc: RPC<Request, Reply>, _ request: Request) async throws -> Reply {
        try await wiki.bench.host.call(rpc, request, as: .unix(uid: 65534, gid: 65534))
    }

    func read(_ wiki: WikiFixture) async throws -> Coi_Wiki_V1_Page {
        try await anonymous(wiki, Coi_Wiki_V1_Pages.Method.get, Coi_Wiki_V1_GetPageRequest.with { $0.title = "Åben side" })
    }

    func write(_ wiki: WikiFixture, base: String) async throws {
        _ = try await anonymous(wiki, Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
            $0.title = "Åben side"
            $0.text = "anonymt forsøg"
            $0.baseRevisionID = base
        })
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
