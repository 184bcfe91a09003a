import COIProto
import COIWire
import NIOCore

/// Writes frames for the streams of one connection.
///
/// Final Responses of unary calls are batched: each is appended to a queue and one event-loop task
/// writes everything queued with a single flush. Under load that turns a wake-up and a syscall per
/// call into one per batch. Frames of streaming calls go through the async writer, which applies
/// back-pressure; their final Response follows the same path so it can never overtake their Data.
struct FrameWriter: Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<Frame>
    let batcher: ResponseBatcher

    func data(_ streamID: UInt32, _ bytes: [UInt8]) async throws {
        // The protocol's own limit holds for what we send too; the handler's error becomes the final Response.
        guard bytes.count <= Frame.maxPayloadSize else { throw Self.tooLarge(bytes.count) }
        try await outbound.write(Frame(streamID: streamID, type: .data, payload: ByteBuffer(bytes: bytes)))
    }

    /// A successful final Response.
    func response(_ streamID: UInt32, payload: [UInt8], streaming: Bool = false) async {
        // Response{status: {} (field 1, empty), payload: bytes (field 2)}, encoded by hand: this is
        // the hottest allocation site of the server.
        var buffer = ByteBuffer()
        buffer.reserveCapacity(payload.count + 8)
        buffer.writeBytes([0x0a, 0x00])
        if !payload.isEmpty {
            buffer.writeInteger(UInt8(0x12))
            var length = UInt32(payload.count)
            while length >= 0x80 {
                buffer.writeInteger(UInt8(length & 0x7f | 0x80))
                length >>= 7
            }
            buffer.writeInteger(UInt8(length))
            buffer.writeBytes(payload)
        }
        guard buffer.readableBytes <= Frame.maxPayloadSize else {
            // Never send a frame the peer must reject: a final error Response instead.
            await response(streamID, error: Self.tooLarge(buffer.readableBytes), streaming: streaming)
            return
        }
        await send(Frame(streamID: streamID, type: .response, payload: buffer), streaming: streaming)
    }

    func response(_ streamID: UInt32, error: any Error, streaming: Bool = false) async {
        let rpcError = error as? RPCError ?? RPCError(.internal, "\(error)")
        var response = Ttrpc_Response()
        response.status = rpcError.status
        guard let bytes: [UInt8] = try? response.serializedBytes() else { return }
        await send(Frame(streamID: streamID, type: .response, payload: ByteBuffer(bytes: bytes)), streaming: streaming)
    }

    static func tooLarge(_ count: Int) -> RPCError {
        RPCError(.resourceExhausted,
                 "reply of \(count) bytes exceeds the frame limit of \(Frame.maxPayloadSize) bytes (4 MiB)",
                 reason: "REPLY_TOO_LARGE")
    }

    private func send(_ frame: Frame, streaming: Bool) async {
        if streaming {
            try? await outbound.write(frame)
        } else {
            batcher.enqueue(frame)
        }
    }
}
