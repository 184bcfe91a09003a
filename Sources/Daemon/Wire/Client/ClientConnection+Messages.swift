public import SwiftProtobuf

extension ClientConnection {
    /// Makes a unary call with generated message types.
    /// - Parameters:
    ///   - service: Fully-qualified service name.
    ///   - method: Method name.
    ///   - request: The request message.
    ///   - reply: The reply type.
    ///   - metadata: Request metadata.
    ///   - timeout: Deadline sent as `timeout_nano`.
    /// - Returns: The decoded reply.
    public func call<Request: Message, Reply: Message>(
        _ service: String, _ method: String, _ request: Request, as reply: Reply.Type,
        metadata: Metadata = [], timeout: Duration? = nil
    ) async throws -> Reply {
        let bytes = try await unary(service: service, method: method, payload: try request.serializedBytes(),
                                    metadata: metadata, timeout: timeout)
        return try Reply(serializedBytes: bytes)
    }
}
