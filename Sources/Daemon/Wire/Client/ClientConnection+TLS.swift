public import NIOCore
public import NIOPosix
import NIOSSL
import NIOTLS

extension ClientConnection {
    /// How a TLS connection decides to trust the server.
    public struct TLS: Sendable {
        /// The certificates the server's chain must lead to.
        public enum TrustRoots: Sendable {
            /// A PEM file with one or more CA certificates (or the server's self-signed certificate itself).
            case pemFile(String)
            /// PEM text, as such a file holds it.
            case pem(String)
            /// The operating system's trust store.
            case system
        }

        /// The certificates the server's chain must lead to.
        public var trustRoots: TrustRoots
        /// The name the server's certificate must carry, also sent as SNI; nil for the host given to
        /// `connect` (an IP address is not sent). A certificate is also accepted when one of its IP
        /// addresses is the one connected to (NIOSSL's rule).
        public var serverHostname: String?

        /// Creates TLS settings.
        /// - Parameters:
        ///   - trustRoots: The certificates the server's chain must lead to.
        ///   - serverHostname: The name the server's certificate must carry; nil for the host connected to.
        public init(trustRoots: TrustRoots, serverHostname: String? = nil) {
            self.trustRoots = trustRoots
            self.serverHostname = serverHostname
        }
    }

    /// Connects over TCP and TLS (coid's `[server.tls]` listener) and completes the handshake.
    /// - Parameters:
    ///   - host: The server's name or IP address.
    ///   - port: The TCP port.
    ///   - tls: How to trust the server.
    ///   - handshakeTimeout: How long the TCP connect and then the TLS handshake may each take.
    ///   - group: The event loop group to run on.
    /// - Returns: The connection, ready for calls.
    /// - Throws: When the trust roots cannot be loaded, the server cannot be reached, or the handshake
    ///   fails (an untrusted or misnamed certificate, a peer that does not speak TLS).
    public static func connect(
        host: String, port: Int, tls: TLS,
        handshakeTimeout: Duration = .seconds(10),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ClientConnection {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        switch tls.trustRoots {
        case let .pemFile(path):
            configuration.trustRoots = .certificates(try loadRoots(from: path) { try NIOSSLCertificate.fromPEMFile(path) })
        case let .pem(text):
            configuration.trustRoots = .certificates(try loadRoots(from: "PEM text") { try NIOSSLCertificate.fromPEMBytes(Array(text.utf8)) })
        case .system:
            configuration.trustRoots = .default
        }
        let context = try NIOSSLContext(configuration: configuration)
        // An IP address cannot go in SNI; left nil, NIOSSL checks the certificate against the peer's address.
        let isIPAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        let hostname = tls.serverHostname ?? (isIPAddress ? nil : host)

        let loop = group.next()
        let handshake = loop.makePromise(of: Void.self)
        let timeout = TimeAmount(handshakeTimeout)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            try NIOSSLClientHandler(context: context, serverHostname: hostname),
                            TLSHandshakeWaiter(promise: handshake),
                        ])
                        try addFrameHandlers(to: channel)
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            handshake.fail(error)
            throw error
        }
        let timer = loop.scheduleTask(in: timeout) {
            handshake.fail(ClientTLSError("TLS handshake with \(host):\(port) timed out after \(handshakeTimeout)"))
        }
        do {
            try await handshake.futureResult.get()
            timer.cancel()
        } catch {
            timer.cancel()
            try? await channel.close()
            throw error
        }
        return ClientConnection(channel: channel)
    }

    /// Loads trust roots; an empty set would only fail later, as an unexplained untrusted server.
    private static func loadRoots(from source: String, _ load: () throws -> [NIOSSLCertificate]) throws -> [NIOSSLCertificate] {
        let roots: [NIOSSLCertificate]
        do {
            roots = try load()
        } catch {
            throw ClientTLSError("cannot load trust roots from \(source): \(error)")
        }
        guard !roots.isEmpty else { throw ClientTLSError("no PEM certificate in \(source)") }
        return roots
    }
}

/// Completes a promise when the TLS handshake succeeds, fails it when the handshake does, so that
/// `connect` reports a bad certificate itself instead of the first call.
private final class TLSHandshakeWaiter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let promise: EventLoopPromise<Void>

    init(promise: EventLoopPromise<Void>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted? = event as? TLSUserEvent { promise.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(ClientTLSError("the server closed the connection during the TLS handshake"))
        context.fireChannelInactive()
    }
}

/// A TLS set-up failure on the client side.
struct ClientTLSError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
