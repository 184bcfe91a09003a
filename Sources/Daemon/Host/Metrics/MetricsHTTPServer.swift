import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The optional `/metrics` endpoint for Prometheus (`[metrics] listen`, loopback only): NIO's
/// HTTP/1.1 codec and one handler that answers GET and HEAD of `/metrics` and nothing else. It
/// needs no routing, sessions or middleware, so no web framework (see architecture.md).
struct MetricsHTTPServer: Service {
    let channel: any Channel
    /// The bound address, e.g. "http://127.0.0.1:9464/metrics" (port 0 resolved).
    let url: String

    /// Binds the listener, so that a port in use stops start-up before coid reports ready.
    /// - Throws: `ServerError` naming the address and the reason.
    static func bind(host: String, port: Int, metrics: DaemonMetrics, logger: Logger) async throws -> MetricsHTTPServer {
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(metrics: metrics))
                    }
                }
                .bind(host: host, port: port).get()
        } catch {
            throw ServerError("cannot listen for metrics on \(host):\(port) ([metrics] listen): \(error)")
        }
        let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(channel.localAddress?.port ?? port)/metrics"
        logger.info("serving metrics", metadata: ["url": "\(url)"])
        return MetricsHTTPServer(channel: channel, url: url)
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            try? await channel.closeFuture.get()
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
    }
}

/// Answers one HTTP connection's requests: `GET /metrics` (and HEAD) with the exposition, 404 for
/// other paths, 405 for other methods. Request bodies are ignored.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: DaemonMetrics
    private var head: HTTPRequestHead?

    init(metrics: DaemonMetrics) {
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(request):
            head = request
        case .body:
            break
        case .end:
            guard let request = head else { return }
            head = nil
            respond(to: request, context: context)
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        let status: HTTPResponseStatus
        let body: String
        var headers = HTTPHeaders()
        switch (request.method, path) {
        case (.GET, "/metrics"), (.HEAD, "/metrics"):
            status = .ok
            body = metrics.exposition()
            headers.add(name: "Content-Type", value: DaemonMetrics.contentType)
        case (_, "/metrics"):
            status = .methodNotAllowed
            body = "only GET and HEAD\n"
            headers.add(name: "Allow", value: "GET, HEAD")
        default:
            status = .notFound
            body = "coid serves only /metrics here\n"
        }
        if headers["Content-Type"].isEmpty { headers.add(name: "Content-Type", value: "text/plain; charset=utf-8") }
        let bytes = Array(body.utf8)
        headers.add(name: "Content-Length", value: "\(bytes.count)")
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { channel.close(promise: nil) }
        }
    }
}
