public import COIRPC
public import SwiftProtobuf
import Synchronization

/// Lets a plugin call another plugin's unary method inside the daemon, through the same call
/// pipeline a socket call takes (request screening, rate limit, authorisation, audit, metrics),
/// acting as the person whose call it is serving.
///
/// Why: a plugin that needs what another plugin does (placements publishing an evaluation as a wiki
/// case page) must not copy that plugin's code or write its tables: the other plugin's rules
/// (validation, permissions, history, search index, feeds) would be bypassed or duplicated. Going
/// through the other plugin's own RPC keeps one implementation and one set of rules.
///
/// What it guarantees: the called method sees exactly what it would see from the socket — a
/// request decoded from bytes and screened, the calling person as principal (their account, their
/// roles, an act-as relation kept), the route's permission checked by the authorisation step, the
/// write recorded in the audit log under that person with the outer call's request id, and the
/// call counted in the metrics. Nothing is granted: the inner call can do only what the person
/// could do by calling the method themself. The outer call's deadline applies to the inner one.
///
/// How: `context.calls.call(Coi_Wiki_V1_Pages.Method.save, request, as: requestContext)` from a
/// handler. Do not call while holding a write transaction: the other plugin writes in its own.
public struct PluginCalls: Sendable {
    /// One inner call as the host runs it.
    public struct Call: Sendable {
        /// The method.
        public var rpc: AnyRPC
        /// The serialized request.
        public var payload: [UInt8]
        /// The outer call: its principal, deadline, peer and request id carry over.
        public var context: RequestContext
        /// The plugin making the call.
        public var callingPlugin: String
    }

    /// Runs an inner call through the host's pipeline and returns the serialized reply.
    public typealias Runner = @Sendable (Call) async throws -> [UInt8]

    /// Where the host connects its pipeline once every plugin has started (routes are only known
    /// then); shared by the plugins of one host.
    public final class Channel: Sendable {
        private let runner = Mutex<Runner?>(nil)

        /// Creates an unconnected channel.
        public init() {}

        /// Connects the pipeline; called once by the host.
        public func connect(_ runner: @escaping Runner) {
            self.runner.withLock { $0 = runner }
        }

        func run(_ call: Call) async throws -> [UInt8] {
            guard let runner = runner.withLock({ $0 }) else {
                throw RPCError(.unavailable, "in-process calls are not available before the daemon has started", reason: "NOT_STARTED")
            }
            return try await runner(call)
        }
    }

    /// How deep in-process calls may nest (a plugin's call, its callee's call, …): a plugin that
    /// calls back into itself, directly or round another plugin, is stopped here with
    /// RESOURCE_EXHAUSTED `CALL_DEPTH` instead of calling until memory runs out.
    public static let maxDepth = 8

    /// The calling plugin's id.
    public let pluginID: String
    private let channel: Channel

    /// Creates the facility for one plugin.
    /// - Parameters:
    ///   - pluginID: The plugin that will call.
    ///   - channel: The host's channel.
    public init(pluginID: String, channel: Channel) {
        self.pluginID = pluginID
        self.channel = channel
    }

    /// A facility that refuses every call (contexts made outside a host).
    public static let unavailable = PluginCalls(pluginID: "", channel: Channel())

    /// Calls a unary method of another plugin as the person of `context`.
    /// - Parameters:
    ///   - rpc: The method (a generated handle, never a string).
    ///   - request: The request.
    ///   - context: The call the plugin is serving; its principal is the inner call's.
    /// - Returns: The reply.
    /// - Throws: The inner call's status as an `RPCError` (PERMISSION_DENIED when the person may not,
    ///   UNIMPLEMENTED when the other plugin is not running, …).
    public func call<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request,
                                                       as context: RequestContext) async throws -> Reply {
        guard rpc.kind == .unary else {
            throw RPCError(.internal, "PluginCalls calls unary methods only; \(rpc.path) is \(rpc.kind.rawValue)")
        }
        let bytes = try await channel.run(Call(rpc: rpc.erased, payload: try request.serializedBytes(), context: context,
                                               callingPlugin: pluginID))
        return try Reply(serializedBytes: bytes)
    }
}
