public import COIRPC
public import SwiftProtobuf

extension ClientConnection {
    /// Makes a unary call through a generated method handle.
    /// - Parameters:
    ///   - rpc: The method (`Coi_Wiki_V1_Pages.Method.get`).
    ///   - request: The request message.
    ///   - metadata: Request metadata.
    ///   - timeout: Deadline sent as `timeout_nano`.
    /// - Returns: The decoded reply.
    /// - Throws: `RPCError` with the server's status, or UNAVAILABLE when the connection fails.
    public func call<Request: Message, Reply: Message>(
        _ rpc: RPC<Request, Reply>, _ request: Request, metadata: Metadata = [], timeout: Duration? = nil
    ) async throws -> Reply {
        let bytes = try await unary(service: rpc.service.name, method: rpc.method, payload: try request.serializedBytes(),
                                    metadata: metadata, timeout: timeout)
        do {
            return try Reply(serializedBytes: bytes)
        } catch {
            throw RPCError(.internal, "the reply of \(rpc.path) does not decode as \(Reply.protoMessageName): \(error)")
        }
    }

    /// Starts a streaming call through a generated method handle.
    /// - Parameters:
    ///   - rpc: The method; a server-streaming method sends `request` and closes its side.
    ///   - request: The request message of a server-streaming call; ignored when the client streams.
    ///   - metadata: Request metadata.
    ///   - timeout: Deadline sent as `timeout_nano`.
    /// - Returns: A typed handle to send messages and read replies.
    public func stream<Request: Message, Reply: Message>(
        _ rpc: RPC<Request, Reply>, _ request: Request = Request(), metadata: Metadata = [], timeout: Duration? = nil
    ) throws -> TypedClientStream<Request, Reply> {
        let raw = stream(service: rpc.service.name, method: rpc.method,
                         payload: rpc.kind.clientStreams ? [] : try request.serializedBytes(),
                         clientStreaming: rpc.kind.clientStreams, metadata: metadata, timeout: timeout)
        return TypedClientStream(raw: raw)
    }
}

/// A streaming call with generated message types.
public struct TypedClientStream<Request: Message, Reply: Message>: Sendable {
    /// The untyped stream underneath.
    public let raw: ClientStream

    /// Sends one message (client streaming).
    /// - Parameters:
    ///   - message: The message.
    ///   - end: Also close the client's side.
    public func send(_ message: Request, end: Bool = false) async throws {
        try await raw.send(try message.serializedBytes(), end: end)
    }

    /// Closes the client's side without a message.
    public func closeSend() async throws { try await raw.closeSend() }

    /// The server's messages, decoded; ends when the server ends the stream, throwing `RPCError` on a
    /// non-OK status. For client-streaming calls the single reply arrives here too.
    public var replies: AsyncThrowingMapSequence<AsyncThrowingStream<[UInt8], any Error>, Reply> {
        raw.replies.map { bytes in
            do {
                return try Reply(serializedBytes: bytes)
            } catch {
                throw RPCError(.internal, "a reply does not decode as \(Reply.protoMessageName): \(error)")
            }
        }
    }
}
