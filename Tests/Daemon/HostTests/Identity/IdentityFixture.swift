import COIBuiltInPlugins
import COIPluginKit
import COIProto
import COIRPC
import COIWire
import Logging
import SwiftProtobuf
@testable import COIHost

/// The real core and identity plugins on a temporary database, called in-process.
struct IdentityFixture {
    let identity: Identity
    let router: Router
    let store: Store
    static let logger = Logger(label: "test")

    /// A test plugin with a scoped role and a member permission, to exercise declarations. Its role
    /// is named like nominations' on purpose: namespacing keeps them apart ("jury.juror", "nominations.juror").
    struct JuryPlugin: Plugin {
        var id: String { "coi.jury" }
        var services: [RPCService] { [] }
        var permissions: [PermissionDeclaration] {
            [PermissionDeclaration("jury.score", "Score nominations"),
             PermissionDeclaration("jury.nominate", "Nominate a colleague", grantedTo: ["member"])]
        }
        var roles: [RoleDeclaration] { [RoleDeclaration("juror", "Scores nominations in a campaign", permissions: ["jury.score"])] }
        func start(context: PluginContext, router: inout Router) async throws {}
    }

    /// Starts core, identity and `extra` on a fresh database.
    /// - Parameters:
    ///   - settings: The identity settings.
    ///   - extra: Further plugins (by default the test jury plugin and every real plugin, so that the
    ///     access table covers their routes).
    init(settings: IdentitySettings = IdentitySettings(), extra: [any Plugin] = [JuryPlugin()] + BuiltInPlugins.all) async throws {
        store = try temporaryStore()
        let core = CorePlugin(status: HostStatus(connections: { 0 }), descriptors: .api, version: "test")
        identity = Identity(store: store, plugins: [core, IdentityPlugin.declarations] + extra, settings: settings, anonymousReadServices: [])
        let started = try await PluginHost(plugins: [core, IdentityPlugin(identity: identity)] + extra,
                                           policy: .init(required: ["coi.core", "coi.identity"]), logger: Self.logger)
            .start(store: store, config: { _ in PluginConfig(table: TOMLTable(), file: nil) })
        identity.adopt(running: started.running)
        router = started.router
    }

    /// A context as the server builds it.
    static func context(_ path: String, peer: PeerCredentials?, metadata: [MetadataEntry] = []) -> RequestContext {
        let parts = path.split(separator: "/").map(String.init)
        return RequestContext(service: parts[0], method: parts[1], metadata: metadata, requestID: "", deadline: nil, peer: peer,
                              baseLogger: logger)
    }

    static let root = PeerCredentials(pid: 1, uid: 0, gid: 0)
    static let nobody = PeerCredentials(pid: 1, uid: 65534, gid: 65534)

    /// Calls a unary method the way the server does: admit, run, record.
    func call<Reply: Message>(_ path: String, _ request: some Message, peer: PeerCredentials? = root, token: String? = nil,
                              actAs: String? = nil, as: Reply.Type = Reply.self) async throws -> Reply {
        guard let route = router.routes[path], case let .unary(handler) = route.handler else {
            throw RPCError(.unimplemented, path)
        }
        var metadata: [MetadataEntry] = []
        if let actAs { metadata.append(MetadataEntry("coi-act-as", actAs)) }
        var context = Self.context(path, peer: peer, metadata: metadata)
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

    /// Creates an account as root and returns its id.
    func account(_ name: String, kind: Coi_Identity_V1_AccountKind = .person, roles: [String] = [], osUser: String = "") async throws -> String {
        try await call("coi.identity.v1.Accounts/Create", Coi_Identity_V1_CreateAccountRequest.with {
            $0.kind = kind
            $0.fullName = name
            $0.roles = roles
            $0.osUser = osUser
        }, as: Coi_Identity_V1_Account.self).id
    }

    /// Issues a token as root and returns its secret.
    func token(for accountID: String, expiresIn: Int64 = 0) async throws -> String {
        try await call("coi.identity.v1.Tokens/Issue", Coi_Identity_V1_IssueTokenRequest.with {
            $0.accountID = accountID
            $0.expiresInSeconds = expiresIn
        }, as: Coi_Identity_V1_IssueTokenReply.self).secret
    }
}
