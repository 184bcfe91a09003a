public import COIPluginKit
public import COIRPC
import COIProto
import COIWire
public import Foundation
import Logging
import NIOCore
public import SwiftProtobuf

/// Core, identity and a set of plugins on their own database, called without a socket through the
/// very `CallExecutor` the daemon serves with: the Request is encoded and decoded as on the wire,
/// then authenticated, authorised, audited and run by the same steps.
///
/// For plugin tests (the `COIHostTesting` target wraps it) and for tools that need the API inside
/// one process. Nothing here bypasses a rule the socket applies.
public final class InProcessHost: Sendable {
    /// Who a call comes from, as the socket would see it.
    public enum Caller: Sendable, Hashable {
        /// A local process of root: the local administrator (not linked to an account unless one says so).
        case localAdmin
        /// A local process of this Unix user.
        case unix(uid: UInt32, gid: UInt32)
        /// A bearer token over a listener without peer credentials (TLS).
        case token(String)
        /// A caller over TLS with no token.
        case remoteAnonymous
    }

    /// The database every plugin shares.
    public let store: Store
    let runtime: PluginRuntime
    let executor: CallExecutor
    private let logger: Logger
    /// Runs the plugins' background services until `stop`.
    private let background: Task<Void, Never>

    private init(store: Store, runtime: PluginRuntime, logger: Logger) {
        self.store = store
        self.runtime = runtime
        self.executor = CallExecutor(router: runtime.started.router, interceptors: runtime.interceptors)
        self.logger = logger
        let services = runtime.started.services
        self.background = Task {
            await withDiscardingTaskGroup { group in
                for service in services {
                    group.addTask { try? await service.run() }
                }
            }
        }
    }

    /// Starts core, identity and `plugins` on a fresh database in `directory`.
    /// - Parameters:
    ///   - plugins: The programme plugins to run.
    ///   - directory: Where the database goes; a new temporary directory by default.
    ///   - pluginConfig: Config sections by plugin id; others get an empty section.
    ///   - anonymousReadPlugins: Ids of plugins whose reads need no identity (`anonymous_read = true`).
    ///   - clock: "Now" for identity (token expiry); tests pass one they move.
    /// - Returns: The running host.
    /// - Throws: Start-up failures of core or identity; a failing plugin is reported in `pluginStatus`.
    public static func start(plugins: [any Plugin], directory: URL? = nil, pluginConfig: [String: TOMLTable] = [:],
                             anonymousReadPlugins: Set<String> = [], clock: any WallClock = SystemWallClock()) async throws -> InProcessHost {
        try await start(plugins: plugins, directory: directory, pluginConfig: pluginConfig, anonymousReadPlugins: anonymousReadPlugins,
                        clock: clock, settings: IdentitySettings())
    }

    /// As above, with identity settings (the host's own tests vary them).
    static func start(plugins: [any Plugin], directory: URL?, pluginConfig: [String: TOMLTable],
                      anonymousReadPlugins: Set<String>, clock: any WallClock, settings: IdentitySettings) async throws -> InProcessHost {
        let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("coid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let status = HostStatus(connections: { 0 })
        let metrics = DaemonMetrics(status: status, version: Daemon.version)
        let store = try Store(path: directory.appendingPathComponent("coid.db").path, metrics: metrics.factory)
        let logger = Logger(label: "coid.in-process")
        let runtime = try await PluginRuntime.start(
            store: store, plugins: plugins, status: status, metrics: metrics, settings: settings,
            anonymousReadPlugins: anonymousReadPlugins, clock: clock,
            config: { id in PluginConfig(table: pluginConfig[id] ?? TOMLTable(), file: nil) }, logger: logger)
        // As the daemon does once started, so Introspection and Reflection answer in-process too.
        status.update {
            $0.plugins = runtime.started.states
            $0.databasePath = store.path
            $0.stateDirectory = directory.path
            $0.sqliteVersion = store.sqliteVersion
        }
        return InProcessHost(store: store, runtime: runtime, logger: logger)
    }

    /// Each plugin's id, status ("ok", "skipped", "error") and reason.
    public var pluginStatus: [(id: String, status: String, reason: String)] {
        runtime.started.states.map { ($0.id, "\($0.status)", $0.reason) }
    }

    /// Every method served, "service/method".
    public var paths: [String] { runtime.started.router.routes.keys.sorted() }

    /// Stops the plugins in reverse start order.
    public func stop() async {
        background.cancel()
        await background.value
        for plugin in runtime.started.running.reversed() { await plugin.stop() }
    }

    /// Makes a unary call.
    /// - Parameters:
    ///   - rpc: The method.
    ///   - request: The request.
    ///   - caller: Who calls.
    ///   - metadata: Further metadata (e.g. `coi-act-as`, `coi-request-id`).
    ///   - timeout: The call's deadline.
    /// - Returns: The reply.
    /// - Throws: `RPCError` with the status the socket would answer.
    public func call<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request, as caller: Caller = .localAdmin,
                                                       metadata: [(String, String)] = [], timeout: Duration? = nil) async throws -> Reply {
        var last: Reply?
        for try await reply in stream(rpc, [request], as: caller, metadata: metadata, timeout: timeout) { last = reply }
        guard let last else { throw RPCError(.internal, "\(rpc.path) ended without a reply") }
        return last
    }

    /// Makes a call of any shape and streams its replies as they are sent; for unary and
    /// client-streaming methods the single reply arrives last. Ending the iteration early cancels the
    /// call, as closing a stream does.
    /// - Parameters:
    ///   - rpc: The method.
    ///   - requests: The request (server-streaming, unary) or the client's messages (client streams).
    ///   - caller: Who calls.
    ///   - metadata: Further metadata.
    ///   - timeout: The call's deadline.
    /// - Returns: The replies; the stream throws `RPCError` when the call fails.
    public func stream<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ requests: [Request], as caller: Caller = .localAdmin,
                                                         metadata: [(String, String)] = [], timeout: Duration? = nil)
        -> AsyncThrowingStream<Reply, any Error> {
        let (replies, continuation) = AsyncThrowingStream<Reply, any Error>.makeStream()
        let executor = self.executor
        let logger = self.logger
        let task = Task {
            do {
                var envelope = Ttrpc_Request()
                envelope.service = rpc.service.name
                envelope.method = rpc.method
                envelope.timeoutNano = timeout.map { Int64($0.components.seconds) * 1_000_000_000 + $0.components.attoseconds / 1_000_000_000 } ?? 0
                var entries = metadata.map { key, value in Ttrpc_KeyValue.with { $0.key = key; $0.value = value } }
                if case let .token(secret) = caller {
                    entries.append(.with { $0.key = "authorization"; $0.value = "Bearer \(secret)" })
                }
                envelope.metadata = entries
                if !rpc.kind.clientStreams, let first = requests.first { envelope.payload = try first.serializedData() }
                let flags: FrameFlags = rpc.kind.clientStreams ? .remoteOpen : (rpc.kind.serverStreams ? .remoteClosed : [])
                let decoded = try RequestEnvelope(decoding: ByteBuffer(bytes: try envelope.serializedBytes() as [UInt8]))
                let opened = try executor.open(decoded, flags: flags, peer: caller.peer, logger: logger, shuttingDown: false)
                var inbound: RawRequestStream?
                if rpc.kind.clientStreams {
                    let (stream, feed) = RawRequestStream.makeStream()
                    for request in requests { feed.yield(try request.serializedBytes()) }
                    feed.finish()
                    inbound = stream
                }
                let sink = InProcessSink { bytes in continuation.yield(try Reply(serializedBytes: bytes)) } finish: { result in
                    switch result {
                    case let .success(bytes):
                        if !rpc.kind.serverStreams {
                            do { continuation.yield(try Reply(serializedBytes: bytes)) } catch { continuation.finish(throwing: error); return }
                        }
                        continuation.finish()
                    case let .failure(error):
                        continuation.finish(throwing: error)
                    }
                }
                await executor.run(opened, requests: inbound, cancel: rpc.kind == .unary ? nil : CancelSignal(), sink: sink)
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return replies
    }
}

extension InProcessHost.Caller {
    /// The peer credentials the socket would report.
    var peer: PeerCredentials? {
        switch self {
        case .localAdmin: PeerCredentials(pid: getpid(), uid: 0, gid: 0)
        case let .unix(uid, gid): PeerCredentials(pid: getpid(), uid: uid, gid: gid)
        case .token, .remoteAnonymous: nil
        }
    }
}

/// Hands a call's messages to closures.
struct InProcessSink: CallSink {
    let onData: @Sendable ([UInt8]) throws -> Void
    let onFinish: @Sendable (Result<[UInt8], RPCError>) -> Void

    init(data: @escaping @Sendable ([UInt8]) throws -> Void, finish: @escaping @Sendable (Result<[UInt8], RPCError>) -> Void) {
        self.onData = data
        self.onFinish = finish
    }

    func data(_ bytes: [UInt8]) async throws {
        try Task.checkCancellation()
        try onData(bytes)
    }

    func finish(_ result: Result<[UInt8], RPCError>) async { onFinish(result) }
}
