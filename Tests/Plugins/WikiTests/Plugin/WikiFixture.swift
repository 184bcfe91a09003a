import COIPluginKit
import COIProto
import COIWire
import Foundation
import Logging
import SwiftProtobuf
@testable import COIHost
@testable import COIWiki

/// The real core, identity and wiki plugins on a temporary database, called in-process the way
/// the server calls them (admission, handler, audit).
struct WikiFixture {
    let identity: Identity
    let router: Router
    let store: Store
    static let logger = Logger(label: "test")
    static let root = PeerCredentials(pid: 1, uid: 0, gid: 0)

    /// Starts core, identity and wiki on a fresh database.
    /// - Parameters:
    ///   - config: The wiki's config section.
    ///   - anonymousRead: Whether the wiki's reads are open to callers with no identity.
    init(config: TOMLTable = TOMLTable(), anonymousRead: Bool = false) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coid-wiki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try Store(path: dir.appendingPathComponent("coid.db").path)
        let core = CorePlugin(status: HostStatus(connections: { 0 }), descriptors: .api, version: "test")
        let wiki = WikiPlugin()
        identity = Identity(store: store, plugins: [core, IdentityPlugin.declarations, wiki], settings: IdentitySettings(),
                            anonymousReadServices: anonymousRead ? Set(wiki.services.map(\.name)) : [])
        let started = try await PluginHost(plugins: [core, IdentityPlugin(identity: identity), wiki],
                                           policy: .init(required: ["coi.core", "coi.identity"]), logger: Self.logger)
            .start(store: store, config: { id in PluginConfig(table: id == "coi.wiki" ? config : TOMLTable(), file: nil) })
        identity.adopt(running: started.running)
        router = started.router
    }

    private func context(_ path: String, token: String?) -> RequestContext {
        let parts = path.split(separator: "/").map(String.init)
        return RequestContext(service: parts[0], method: parts[1], metadata: [], requestID: "", deadline: nil,
                              peer: token == nil ? Self.root : nil, baseLogger: Self.logger)
    }

    private func route(_ path: String) throws -> MethodRoute {
        guard let route = router.routes[path] else { throw RPCError(.unimplemented, path) }
        return route
    }

    /// Calls a unary method; no token means the local admin (root, without an account).
    func call<Reply: Message>(_ path: String, _ request: some Message, token: String? = nil, as: Reply.Type = Reply.self) async throws -> Reply {
        let route = try route(path)
        guard case let .unary(handler) = route.handler else { throw RPCError(.unimplemented, path) }
        var context = context(path, token: token)
        do {
            try await identity.admit(route, &context, authorization: token.map { "Bearer \($0)" })
            let bytes = try await handler(try request.serializedBytes(), context)
            await identity.record(route, context, outcome: .ok)
            return try Reply(serializedBytes: bytes)
        } catch {
            await identity.record(route, context, outcome: (error as? RPCError)?.code ?? .internal)
            throw error
        }
    }

    /// Calls a server-streaming method that ends by itself and collects its replies.
    func stream<Reply: Message>(_ path: String, _ request: some Message, token: String? = nil, as: Reply.Type = Reply.self) async throws -> [Reply] {
        let route = try route(path)
        guard case let .serverStreaming(handler) = route.handler else { throw RPCError(.unimplemented, path) }
        var context = context(path, token: token)
        try await identity.admit(route, &context, authorization: token.map { "Bearer \($0)" })
        let collected = Collected()
        try await handler(try request.serializedBytes(), context, RawResponseWriter { bytes in await collected.add(bytes) })
        return try await collected.all.map { try Reply(serializedBytes: $0) }
    }

    /// Calls a client-streaming method with the given messages.
    func upload<Reply: Message>(_ path: String, _ requests: [some Message], token: String? = nil, as: Reply.Type = Reply.self) async throws -> Reply {
        let route = try route(path)
        guard case let .clientStreaming(handler) = route.handler else { throw RPCError(.unimplemented, path) }
        var context = context(path, token: token)
        try await identity.admit(route, &context, authorization: token.map { "Bearer \($0)" })
        let (stream, continuation) = RawRequestStream.makeStream()
        for request in requests { continuation.yield(try request.serializedBytes()) }
        continuation.finish()
        return try Reply(serializedBytes: try await handler(stream, context))
    }

    /// Creates a person with roles and returns a token for them.
    func person(_ name: String, roles: [String] = ["member"]) async throws -> (id: String, token: String) {
        let account = try await call("coi.identity.v1.Accounts/Create", Coi_Identity_V1_CreateAccountRequest.with {
            $0.kind = .person
            $0.fullName = name
            $0.roles = roles
        }, as: Coi_Identity_V1_Account.self)
        let token = try await call("coi.identity.v1.Tokens/Issue", Coi_Identity_V1_IssueTokenRequest.with { $0.accountID = account.id },
                                   as: Coi_Identity_V1_IssueTokenReply.self).secret
        return (account.id, token)
    }

    /// Saves a page as `token`'s account.
    @discardableResult
    func save(_ title: String, _ text: String, base: String = "", token: String, summary: String = "",
              fields: Coi_Wiki_V1_CaseFields? = nil) async throws -> Coi_Wiki_V1_SaveReply {
        try await call("coi.wiki.v1.Pages/Save", Coi_Wiki_V1_SaveRequest.with {
            $0.title = title
            $0.text = text
            $0.baseRevisionID = base
            $0.summary = summary
            if let fields { $0.caseFields = fields }
        }, token: token)
    }

    func get(_ title: String, token: String? = nil) async throws -> Coi_Wiki_V1_Page {
        try await call("coi.wiki.v1.Pages/Get", Coi_Wiki_V1_GetPageRequest.with { $0.title = title }, token: token)
    }
}

/// Replies a stream handler sent.
actor Collected {
    var all: [[UInt8]] = []
    func add(_ bytes: [UInt8]) { all.append(bytes) }
}

/// The RPC error a call threw, or nil.
func rpcError(_ body: () async throws -> Void) async -> RPCError? {
    do {
        try await body()
        return nil
    } catch let error as RPCError {
        return error
    } catch {
        return RPCError(.unknown, "\(error)")
    }
}
