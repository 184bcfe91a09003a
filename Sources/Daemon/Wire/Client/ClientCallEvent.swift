public import COIProto
public import NIOCore

/// What a client stream receives from the connection.
public enum ClientCallEvent: Sendable {
    /// A streamed message from the server.
    case data(ByteBuffer, endOfStream: Bool)
    /// The final Response that ends the stream.
    case response(Ttrpc_Response)
    /// The connection failed or closed before the stream ended.
    case failed(RPCError)
}
