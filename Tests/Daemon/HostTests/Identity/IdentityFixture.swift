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
    let host: InProcessHost
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

    /// Starts core, identity and `extra` on a fresh database, served by the in-process host (the
    /// daemon's own call pipeline).
    /// - Parameters:
    ///   - settings: The identity settings.
    ///   - extra: Further plugins (by default the test jury plugin and every real plugin, so that the
    ///     access table covers their routes).
    ///   - clock: "Now" for identity.
    init(settings: IdentitySettings = IdentitySettings(), extra: [any Plugin] = [JuryPlugin()] + BuiltInPlugins.all,
         clock: any WallClock = SystemWallClock()) async throws {
        host = try await InProcessHost.start(plugins: extra, directory: nil, pluginConfig: [:], anonymousReadPlugins: [],
                                             clock: clock, settings: settings)
        identity = host.runtime.identity
        router = host.runtime.started.router
        store = host.store
    }

    /// A context as the server builds it.
    static func context(_ path: String, peer: PeerCredentials?, metadata: [MetadataEntry] = []) -> RequestContext {
        let parts = path.split(separator: "/").map(String.init)
        return RequestContext(service: parts[0], method: parts[1], metadata: metadata, requestID: "", deadline: nil, peer: peer,
                              baseLogger: logger)
    }

    static let root = PeerCredentials(pid: 1, uid: 0, gid: 0)
    static let nobody = PeerCredentials(pid: 1, uid: 65534, gid: 65534)

    /// Calls a unary method through the server's pipeline (admit, run, audit).
    func call<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request, peer: PeerCredentials? = root,
                                                token: String? = nil, actAs: String? = nil) async throws -> Reply {
        let caller: InProcessHost.Caller = if let token { .token(token) }
            else if let peer { peer.uid == 0 ? .localAdmin : .unix(uid: peer.uid, gid: peer.gid) }
            else { .remoteAnonymous }
        return try await host.call(rpc, request, as: caller, metadata: actAs.map { [("coi-act-as", $0)] } ?? [])
    }

    /// Runs a route's interceptors (authentication, rate limit, authorisation, audit) around a
    /// handler that does nothing: whether the call would be admitted.
    func admit(_ route: MethodRoute, peer: PeerCredentials?, token: String? = nil) async throws {
        let call = ServerCall(route: route, context: Self.context(route.path, peer: peer), authorization: token.map { "Bearer \($0)" })
        _ = try await host.executor.intercept(call) { _ in [] }
    }

    /// Creates an account as root and returns its id.
    func account(_ name: String, kind: Coi_Identity_V1_AccountKind = .person, roles: [String] = [], osUser: String = "") async throws -> String {
        try await call(Coi_Identity_V1_Accounts.Method.create, .with {
            $0.kind = kind
            $0.fullName = name
            $0.roles = roles
            $0.osUser = osUser
        }).id
    }

    /// Issues a token as root and returns its secret.
    func token(for accountID: String, expiresIn: Int64 = 0) async throws -> String {
        try await call(Coi_Identity_V1_Tokens.Method.issue, .with {
            $0.accountID = accountID
            $0.expiresInSeconds = expiresIn
        }).secret
    }
}
