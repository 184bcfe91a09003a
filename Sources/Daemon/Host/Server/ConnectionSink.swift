import COIWire

/// Sends one stream's messages as frames of its connection, and only while the stream is open:
/// a stream the peer cancelled or an error already ended gets nothing more.
struct ConnectionSink: CallSink {
    let streamID: UInt32
    let state: ConnectionState
    let writer: FrameWriter
    /// Whether the method streams replies: its final Response then follows its Data frames in order.
    let streaming: Bool

    func data(_ bytes: [UInt8]) async throws {
        guard state.isActive(streamID) else { throw CancellationError() }
        try await writer.data(streamID, bytes)
    }

    func finish(_ result: Result<[UInt8], RPCError>) async {
        guard state.complete(streamID) else { return }
        var result = result
        if case let .failure(error) = result, error.code == .cancelled, state.isStopping {
            // Cancelled by shutdown after its grace period, not by the peer: say so.
            result = .failure(CallExecutor.shuttingDown)
        }
        switch result {
        case let .success(bytes):
            await writer.response(streamID, payload: bytes, streaming: streaming)
        case let .failure(error):
            await writer.response(streamID, error: error, streaming: streaming)
        }
    }
}
