import COIWire

/// Where a call's messages go: a connection's frames, or an in-process caller's collector.
///
/// The executor is transport-agnostic; the socket server and the in-process host differ only in
/// their sink, so both run exactly the same pipeline.
protocol CallSink: Sendable {
    /// Sends one message of a server stream.
    /// - Parameter bytes: The serialized message.
    /// - Throws: `CancellationError` when the call has already ended (its peer is gone).
    func data(_ bytes: [UInt8]) async throws
    /// Ends the call with its final status and, for unary and client-streaming calls, the reply.
    /// - Parameter result: The reply, or the status it failed with.
    func finish(_ result: Result<[UInt8], RPCError>) async
}
