import COIHostTesting
import COIPluginKit
import COIProto
import COIRPC
import Foundation
import SwiftProtobuf
@testable import COIWiki

/// The real core, identity and wiki plugins on a temporary database, called through the daemon's
/// own call pipeline (admission, handler, audit) by `PluginTestHost`.
struct WikiFixture {
    let bench: PluginTestHost

    /// Starts core, identity and wiki on a fresh database.
    /// - Parameters:
    ///   - config: The wiki's config section.
    ///   - anonymousRead: Whether the wiki's reads are open to callers with no identity.
    init(config: TOMLTable = TOMLTable(), anonymousRead: Bool = false) async throws {
        bench = try await PluginTestHost(plugins: [WikiPlugin()], config: ["coi.wiki": config],
                                         anonymousRead: anonymousRead ? ["coi.wiki"] : [])
    }

    var store: Store { bench.store }

    /// Calls a unary method; no token means the local admin (root, without an account).
    func call<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request, token: String? = nil) async throws -> Reply {
        try await bench.call(rpc, request, token: token)
    }

    /// Calls a server-streaming method that ends by itself and collects its replies.
    func stream<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request, token: String? = nil) async throws -> [Reply] {
        try await bench.stream(rpc, request, token: token)
    }

    /// Calls a client-streaming method with the given messages.
    func upload<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ requests: [Request], token: String? = nil) async throws -> Reply {
        try await bench.upload(rpc, requests, token: token)
    }

    /// Creates a person with roles and returns a token for them.
    func person(_ name: String, roles: [String] = ["member"]) async throws -> (id: String, token: String) {
        try await bench.person(name, roles: roles)
    }

    /// Saves a page as `token`'s account.
    @discardableResult
    func save(_ title: String, _ text: String, base: String = "", token: String, summary: String = "",
              fields: Coi_Wiki_V1_CaseFields? = nil) async throws -> Coi_Wiki_V1_SaveReply {
        try await call(Coi_Wiki_V1_Pages.Method.save, .with {
            $0.title = title
            $0.text = text
            $0.baseRevisionID = base
            $0.summary = summary
            if let fields { $0.caseFields = fields }
        }, token: token)
    }

    func get(_ title: String, token: String? = nil) async throws -> Coi_Wiki_V1_Page {
        try await call(Coi_Wiki_V1_Pages.Method.get, .with { $0.title = title }, token: token)
    }
}
