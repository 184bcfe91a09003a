import COIPluginKit
import COIWire
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
public import ServiceLifecycle
import Synchronization

/// Accepts connections on every listener and serves each in a child task until graceful shutdown.
public final class Server: Service, Sendable {
    let addresses: [ListenAddress]
    let executor: CallExecutor
    let settings: LiveSettings
    let logger: Logger
    let shutdown = ShutdownSignal()
    private let connectionCount = Atomic<Int>(0)
    /// Refuses, the moment they are accepted, the connections the open-file limit has no room for.
    private let descriptors = DescriptorGate()
    private let caps = ConnectionCaps()
    /// Long-lived streams per principal, over every connection.
    let longLivedStreams: LongLivedStreams
    /// One line per interval (with a count) for connections refused by a cap, not one per attempt.
    let refusals: RefusalLog
    private let bound = Mutex<[any Channel]>([])
    private let readiness: @Sendable ([ListenAddress]) -> Void
    private let stopping: @Sendable () -> Void

    /// Creates a server.
    /// - Parameters:
    ///   - addresses: Where to listen.
    ///   - router: Every route of every running plugin.
    ///   - interceptors: The steps around every handler, outermost first (`PluginRuntime.interceptors`).
    ///   - settings: Live limits.
    ///   - logger: The server's logger.
    ///   - onListening: Called once every listener is bound, with the bound addresses (a TCP port 0
    ///     replaced by the port the system chose).
    ///   - onStopping: Called when graceful shutdown begins.
    init(addresses: [ListenAddress], router: Router, interceptors: [any ServerInterceptor], settings: LiveSettings, logger: Logger,
                onListening: @escaping @Sendable ([ListenAddress]) -> Void = { _ in }, onStopping: @escaping @Sendable () -> Void = {}) {
        self.stopping = onStopping
        self.addresses = addresses
        // The stream cap needs the principal, so it runs innermost, after authorisation.
        let streams = LongLivedStreams()
        self.longLivedStreams = streams
        self.executor = CallExecutor(router: router,
                                     interceptors: interceptors + [LongLivedStreamCap(streams: streams, settings: settings)])
        self.settings = settings
        self.logger = logger
        self.refusals = RefusalLog("refusing connections: limit reached", logger: logger)
        self.readiness = onListening
    }

    /// Connections currently open.
    public var openConnections: Int { connectionCount.load(ordering: .relaxed) }

    public func run() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        var channels: [NIOAsyncChannel<AcceptedConnection, Never>] = []
        var listening: [ListenAddress] = []
        for address in addresses {
            let (channel, boundAddress) = try await bind(address, group: group)
            channels.append(channel)
            listening.append(boundAddress)
        }
        bound.withLock { $0 = channels.map(\.channel) }
        limitConnectionsByDescriptors()
        readiness(listening)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for (address, channel) in zip(listening, channels) {
                    group.addTask { await self.accept(on: channel, address: address) }
                }
                group.addTask { await self.flushRefusals() }
            }
        } onGracefulShutdown: {
            self.stopAccepting()
        }
        for case let .unix(path, _, _) in addresses {
            unlink(path)
        }
    }

    /// Sets the connection ceiling the open-file limit allows, and tells the operator when it is
    /// lower than `max_connections`.
    private func limitConnectionsByDescriptors() {
        let limit = DescriptorLimit.current
        let open = DescriptorLimit.openCount
        let ceiling = DescriptorLimit.connectionCeiling(limit: limit, open: open)
        descriptors.ceiling = ceiling
        guard let limit, ceiling < settings.limits.maxConnections else { return }
        logger.notice("the open-file limit admits fewer connections than server.max_connections; raise it (LimitNOFILE=) to admit more",
                      metadata: ["open_file_limit": "\(limit)", "open": "\(open.map { "\($0)" } ?? "?")",
                                 "kept_free": "\(DescriptorLimit.reserve)", "connections": "\(ceiling)",
                                 "max_connections": "\(settings.limits.maxConnections)"])
    }

    /// Logs the refusals counted since the last line, each interval, and what is left at shutdown.
    private func flushRefusals() async {
        while !shutdown.isFired {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { try? await Task.sleep(for: .seconds(1)) }
                group.addTask { await self.shutdown.wait() }
                await group.next()
                group.cancelAll()
            }
            refusals.flush()
        }
        refusals.flush(force: true)
    }

    /// Stops accepting and lets open connections drain.
    func stopAccepting() {
        logger.info("stopping: no new connections; in-flight calls may finish", metadata: [
            "grace": "\(settings.limits.shutdownGrace)",
        ])
        stopping()
        shutdown.fire()
        for channel in bound.withLock({ $0 }) { channel.close(promise: nil) }
    }

    private func accept(on server: NIOAsyncChannel<AcceptedConnection, Never>, address: ListenAddress) async {
        do {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        let count = connectionCount.wrappingAdd(1, ordering: .relaxed).newValue
                        if count > settings.limits.maxConnections || shutdown.isFired {
                            connectionCount.subtract(1, ordering: .relaxed)
                            if !shutdown.isFired { refusals.note("server.max_connections") }
                            try? await connection.channel.channel.close()
                            continue
                        }
                        group.addTask {
                            defer { self.connectionCount.subtract(1, ordering: .relaxed) }
                            let peer = await Self.peerCredentials(of: connection.channel.channel)
                            if let refusal = self.caps.admit(peer, limits: self.settings.limits) {
                                self.refusals.note(refusal.description)
                                try? await connection.channel.channel.close()
                                return
                            }
                            defer { self.caps.release(peer) }
                            // The connection's calls run on its event loop (issue 15).
                            await withTaskExecutorPreference(EventLoopTaskExecutor(connection.channel.channel.eventLoop)) {
                                await Connection(channel: connection.channel, reader: connection.reader, executor: self.executor, settings: self.settings,
                                                 shutdown: self.shutdown, peer: peer,
                                                 logger: Self.connectionLogger(self.logger, peer: peer, channel: connection.channel.channel)).run()
                            }
                        }
                    }
                }
            }
        } catch {
            if !shutdown.isFired {
                logger.error("listener failed", metadata: ["listener": "\(address)", "error": "\(error)"])
            }
        }
    }

    /// Binds one listener.
    /// - Returns: The listening channel and the address it is bound to (with the chosen port for TCP port 0).
    private func bind(_ address: ListenAddress, group: any EventLoopGroup) async throws
        -> (NIOAsyncChannel<AcceptedConnection, Never>, ListenAddress) {
        let maxBuffered = settings.limits.maxBufferedBytes
        let logger = self.logger
        let descriptors = self.descriptors
        let refusals = self.refusals
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptBackoff(logger: logger, listener: "\(address)",
                                                                                 gate: descriptors, refusals: refusals))
                }
            }
            .childChannelOption(.writeBufferWaterMark, value: .init(low: max(1, maxBuffered / 2), high: max(2, maxBuffered)))
            .childChannelOption(.maxMessagesPerRead, value: 16)
        switch address {
        case let .unix(path, mode, groupName):
            try Self.prepareSocketPath(path)
            let channel = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true,
                                                   childChannelInitializer: initializer(nil))
            chmod(path, mode_t(mode))
            if let groupName, let entry = getgrnam(groupName) {
                if chown(path, uid_t.max, entry.pointee.gr_gid) != 0 {
                    logger.warning("cannot give the socket to its group", metadata: ["group": "\(groupName)", "errno": "\(errno)"])
                }
            }
            logger.info("listening", metadata: ["listener": "\(address)"])
            return (channel, address)
        case let .inherited(fd, _):
            let channel = try await bootstrap.bind(fd, childChannelInitializer: initializer(nil))
            logger.info("listening", metadata: ["listener": "\(address)"])
            return (channel, address)
        case let .tls(host, port, certificate, privateKey):
            let context: NIOSSLContext
            do {
                context = try ListenAddress.serverTLSContext(certificate: certificate, privateKey: privateKey)
            } catch {
                throw ServerError("cannot start the TLS listener: \(error)")
            }
            let channel: NIOAsyncChannel<AcceptedConnection, Never>
            do {
                channel = try await bootstrap
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .bind(host: host, port: port, childChannelInitializer: initializer(context))
            } catch {
                throw ServerError("cannot listen on \(address): \(error)")
            }
            let bound = ListenAddress.tls(host: host, port: channel.channel.localAddress?.port ?? port,
                                          certificate: certificate, privateKey: privateKey)
            logger.info("listening", metadata: ["listener": "\(bound)"])
            return (channel, bound)
        }
    }

    /// The child pipeline: frame codec, behind TLS when the listener has a context.
    private func initializer(_ tls: NIOSSLContext?) -> @Sendable (any Channel) -> EventLoopFuture<AcceptedConnection> {
        let logger = self.logger
        return { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls {
                    try channel.pipeline.syncOperations.addHandlers([
                        NIOSSLServerHandler(context: tls),
                        TLSHandshakeObserver(logger: logger),
                    ])
                }
                let reader = ConnectionReader()
                // No codec handlers: the reader cuts frames itself, and frames are written
                // encoded, a batch of replies as one buffer.
                try channel.pipeline.syncOperations.addHandler(reader)
                return AcceptedConnection(channel: try NIOAsyncChannel(wrappingChannelSynchronously: channel),
                                          reader: NIOLoopBound(reader, eventLoop: channel.eventLoop))
            }
        }
    }

    /// Refuses to steal the socket of a running daemon; removes a stale one.
    static func prepareSocketPath(_ path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        guard FileManager.default.fileExists(atPath: path) else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw ServerError("socket path is too long (\(bytes.count) bytes): \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if connected == 0 {
            throw ServerError("another process is already listening on \(path); is coid running?")
        }
    }

    /// The connection's logger: every line it writes names the peer, as `peer_uid`/`peer_pid` on a
    /// Unix socket or `peer` (address:port) over TCP.
    static func connectionLogger(_ logger: Logger, peer: PeerCredentials?, channel: any Channel) -> Logger {
        var logger = logger
        if let peer {
            logger[metadataKey: "peer_uid"] = "\(peer.uid)"
            logger[metadataKey: "peer_pid"] = "\(peer.pid)"
        } else if let remote = channel.remoteAddress {
            logger[metadataKey: "peer"] = "\(remote.ipAddress.map { $0.contains(":") ? "[\($0)]" : $0 } ?? "?"):\(remote.port ?? 0)"
        }
        return logger
    }

    static func peerCredentials(of channel: any Channel) async -> PeerCredentials? {
        // Linux answers SO_PEERCRED on a TCP socket too, with uid 65534; only a Unix socket has a real peer.
        guard case .unixDomainSocket? = channel.localAddress, let provider = channel as? any SocketOptionProvider else { return nil }
        let future: EventLoopFuture<PeerCredentialsLayout> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        let credentials = try? await future.get()
        return credentials.map { PeerCredentials(pid: $0.pid, uid: $0.uid, gid: $0.gid) }
    }
}

/// `struct ucred` from <sys/socket.h>, which Glibc's Swift overlay does not export.
struct PeerCredentialsLayout {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}

/// Sits behind `NIOSSLServerHandler`: a failed handshake is logged once and closes only its own
/// connection, never reaching the connection's reader as an error.
final class TLSHandshakeObserver: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let logger: Logger
    private var logged = false

    init(logger: Logger) {
        self.logger = logger
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case NIOSSLError.handshakeFailed:
            if !logged {
                logged = true
                let peer = context.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "unknown"
                logger.notice("TLS handshake failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
            }
            context.close(promise: nil)
        case NIOSSLError.uncleanShutdown:
            // A peer hanging up without close_notify loses nothing here (frames are self-delimiting): an ordinary close.
            break
        default:
            context.fireErrorCaught(error)
        }
    }
}

/// A start-up or listener failure with a message for the operator.
public struct ServerError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
