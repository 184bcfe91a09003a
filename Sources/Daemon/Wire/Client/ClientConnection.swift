import COIProto
import Foundation
public import NIOCore
public import NIOPosix
import SwiftProtobuf

/// An async ttrpc client over one connection (a Unix socket, or TCP with TLS). Many calls may run on it at once.
public final class ClientConnection: Sendable {
    /// Metadata sent with a call: lower-case keys, values as given.
    public typealias Metadata = [(key: String, value: String)]

    private let channel: any Channel

    init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects to a Unix domain socket.
    /// - Parameters:
    ///   - path: The socket's path.
    ///   - group: The event loop group to run on.
    /// - Returns: The connection.
    /// - Throws: When the socket cannot be reached.
    public static func connect(
        unixSocket path: String,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ClientConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try addFrameHandlers(to: channel) }
            }
            .connect(unixDomainSocketPath: path).get()
        return ClientConnection(channel: channel)
    }

    /// The frame codec and call routing, last in every transport's pipeline; runs on the channel's event loop.
    static func addFrameHandlers(to channel: any Channel) throws {
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(FrameDecoder()),
            MessageToByteHandler(FrameEncoder()),
            ClientHandler(),
        ])
    }

    /// Closes the connection; calls still waiting fail with UNAVAILABLE.
    public func close() async {
        try? await channel.close()
    }

    /// Whether the connection is still open.
    public var isActive: Bool { channel.isActive }

    /// Writes a call's Request. A connection that is already closed has no handlers left to fail
    /// the call, so a failed write fails it here; otherwise the caller would wait forever.
    private func start(_ call: ClientCall, _ request: Ttrpc_Request, _ flags: FrameFlags) {
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in
            call.deliver(.failed(RPCError(.unavailable, "cannot send the request: \(error)")))
        }
        channel.writeAndFlush(ClientCommand.start(call, request, flags), promise: written)
    }

    private func makeRequest(_ service: String, _ method: String, _ payload: [UInt8], _ metadata: Metadata, _ timeout: Duration?) -> Ttrpc_Request {
        var request = Ttrpc_Request()
        request.service = service
        request.method = method
        request.payload = Data(payload)
        if let timeout {
            let (seconds, attos) = timeout.components
            request.timeoutNano = seconds * 1_000_000_000 + attos / 1_000_000_000
        }
        request.metadata = metadata.map { kv in
            var entry = Ttrpc_KeyValue()
            entry.key = kv.key
            entry.value = kv.value
            return entry
        }
        return request
    }

    /// Makes a unary call.
    /// - Parameters:
    ///   - service: Fully-qualified service name.
    ///   - method: Method name.
    ///   - payload: The serialized request message.
    ///   - metadata: Request metadata.
    ///   - timeout: Deadline sent as `timeout_nano`; the server enforces it.
    /// - Returns: The serialized reply.
    /// - Throws: `RPCError` with the server's status, or UNAVAILABLE when the connection fails.
    public func unary(service: String, method: String, payload: [UInt8], metadata: Metadata = [], timeout: Duration? = nil) async throws -> [UInt8] {
        let promise = channel.eventLoop.makePromise(of: Ttrpc_Response.self)
        let call = ClientCall { event in
            switch event {
            case let .response(response): promise.succeed(response)
            case let .failed(error): promise.fail(error)
            case .data: promise.fail(RPCError(.internal, "server sent Data on a unary stream"))
            }
        }
        let request = makeRequest(service, method, payload, metadata, timeout)
        start(call, request, [])
        let response = try await promise.futureResult.get()
        guard response.status.code == 0 else { throw RPCError(status: response.status) }
        return Array(response.payload)
    }

    /// Starts a streaming call.
    /// - Parameters:
    ///   - service: Fully-qualified service name.
    ///   - method: Method name.
    ///   - payload: The request message for server-streaming calls; empty for client streaming.
    ///   - clientStreaming: Whether the client will send Data frames (flag remote-open) or not (remote-closed).
    ///   - metadata: Request metadata.
    ///   - timeout: Deadline sent as `timeout_nano`.
    /// - Returns: A handle to send messages and read replies.
    public func stream(service: String, method: String, payload: [UInt8] = [], clientStreaming: Bool,
                       metadata: Metadata = [], timeout: Duration? = nil) -> ClientStream {
        let (replies, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let call = ClientCall { event in
            switch event {
            case let .data(buffer, end):
                continuation.yield(Array(buffer: buffer))
                if end { continuation.finish() }
            case let .response(response):
                if response.status.code != 0 {
                    continuation.finish(throwing: RPCError(status: response.status))
                } else {
                    if !response.payload.isEmpty { continuation.yield(Array(response.payload)) }
                    continuation.finish()
                }
            case let .failed(error):
                continuation.finish(throwing: error)
            }
        }
        let request = makeRequest(service, method, payload, metadata, timeout)
        start(call, request, clientStreaming ? .remoteOpen : .remoteClosed)
        return ClientStream(channel: channel, call: call, replies: replies)
    }
}

/// One streaming call: send messages (client streaming), then read the replies.
public struct ClientStream: Sendable {
    let channel: any Channel
    let call: ClientCall
    /// The server's messages; ends when the server ends the stream, throwing `RPCError` on a non-OK status.
    /// For client-streaming calls the single reply arrives here too.
    public let replies: AsyncThrowingStream<[UInt8], any Error>

    /// Sends one message.
    /// - Parameters:
    ///   - payload: The serialized message.
    ///   - end: Also close the client's side.
    public func send(_ payload: [UInt8], end: Bool = false) async throws {
        try await channel.writeAndFlush(ClientCommand.send(call, channel.allocator.buffer(bytes: payload), end: end))
    }

    /// Closes the client's side without a message.
    public func closeSend() async throws {
        try await channel.writeAndFlush(ClientCommand.send(call, nil, end: true))
    }
}
