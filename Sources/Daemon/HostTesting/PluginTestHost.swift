public import COIHost
public import COIPluginKit
public import COIRPC
import COIProto
import Foundation
public import SwiftProtobuf

/// A plugin's test bench: core, identity and the plugins under test on a temporary database,
/// called through the daemon's own call pipeline (`InProcessHost`) as the local administrator or
/// as a person with a token. Plugin tests use this instead of reaching into the host.
public struct PluginTestHost: Sendable {
    /// The host underneath, for calls as other callers (`.unix`, `.remoteAnonymous`).
    public let host: InProcessHost

    /// Starts the plugins on a fresh temporary database.
    /// - Parameters:
    ///   - plugins: The plugins under test (core and identity are always there).
    ///   - config: Config sections by plugin id.
    ///   - anonymousRead: Ids of plugins whose reads need no identity.
    ///   - clock: "Now" for identity; pass a `ManualClock` to test expiry without sleeping.
    public init(plugins: [any Plugin], config: [String: TOMLTable] = [:], anonymousRead: Set<String> = [],
                clock: any WallClock = SystemWallClock()) async throws {
        host = try await InProcessHost.start(plugins: plugins, pluginConfig: config, anonymousReadPlugins: anonymousRead, clock: clock)
    }

    /// The shared database.
    public var store: Store { host.store }

    /// Makes a unary call; no token means the local administrator.
    public func call<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request,
                                                       token: String? = nil) async throws -> Reply {
        try await host.call(rpc, request, as: Self.caller(token))
    }

    /// Makes a server-streaming call that ends by itself and collects its replies.
    public func stream<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request,
                                                         token: String? = nil) async throws -> [Reply] {
        var replies: [Reply] = []
        for try await reply in host.stream(rpc, [request], as: Self.caller(token)) { replies.append(reply) }
        return replies
    }

    /// Opens a server stream that may never end (a followed feed); stop iterating to cancel it.
    public func follow<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request,
                                                         token: String? = nil) -> AsyncThrowingStream<Reply, any Error> {
        host.stream(rpc, [request], as: Self.caller(token))
    }

    /// Makes a client-streaming call with the given messages.
    public func upload<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ requests: [Request],
                                                         token: String? = nil) async throws -> Reply {
        var last: Reply?
        for try await reply in host.stream(rpc, requests, as: Self.caller(token)) { last = reply }
        guard let last else { throw RPCError(.internal, "\(rpc.path) ended without a reply") }
        return last
    }

    /// Creates a person with roles and a token for them.
    /// - Parameters:
    ///   - name: The full name.
    ///   - roles: Roles to bind everywhere.
    /// - Returns: The account id and the token's secret.
    public func person(_ name: String, roles: [String] = ["member"]) async throws -> (id: String, token: String) {
        let account = try await call(Coi_Identity_V1_Accounts.Method.create, .with {
            $0.kind = .person
            $0.fullName = name
            $0.roles = roles
        })
        let token = try await call(Coi_Identity_V1_Tokens.Method.issue, .with { $0.accountID = account.id }).secret
        return (account.id, token)
    }

    static func caller(_ token: String?) -> InProcessHost.Caller {
        token.map { .token($0) } ?? .localAdmin
    }
}

/// The RPC error a body threw, or nil when it succeeded (any other error becomes UNKNOWN).
public func rpcError(_ body: () async throws -> Void) async -> RPCError? {
    do {
        try await body()
        return nil
    } catch let error as RPCError {
        return error
    } catch {
        return RPCError(.unknown, "\(error)")
    }
}
