import COIProto
import COIWire
import NIOCore

/// Writes frames for the streams of one connection, within its outbound budget.
///
/// Final Responses of unary calls are batched: each is appended to a queue and one event-loop task
/// writes everything queued with a single flush. Under load that turns a wake-up and a syscall per
/// call into one per batch. Data frames of streaming calls wait for room in the connection's
/// `OutboundBudget` (back-pressure on the handler), then go to the channel in the order their task
/// wrote them; their final Response follows the same path so it can never overtake their Data.
struct FrameWriter: Sendable {
    let channel: any Channel
    let batcher: ResponseBatcher
    let budget: OutboundBudget

    /// Creates a connection's writer.
    /// - Parameters:
    ///   - channel: The connection.
    ///   - reader: Its reader, which writes the batches (`ResponseBatcher`); nil in tests that
    ///     write into a bare channel.
    ///   - budget: The connection's outbound budget.
    init(channel: any Channel, reader: NIOLoopBound<ConnectionReader>? = nil, budget: OutboundBudget) {
        self.channel = channel
        self.budget = budget
        self.batcher = ResponseBatcher(channel: channel, reader: reader, budget: budget)
    }

    /// Sends one message of a server stream, waiting while the connection is over its budget.
    /// - Throws: `REPLY_TOO_LARGE` for a message over the frame limit (the handler's error becomes
    ///   the final Response); `CancellationError` when the connection is closing.
    func data(_ streamID: UInt32, _ bytes: [UInt8]) async throws {
        // The protocol's own limit holds for what we send too.
        guard bytes.count <= Frame.maxPayloadSize else { throw Self.tooLarge(bytes.count) }
        let size = Frame.headerSize + bytes.count
        guard await budget.acquire(size) else { throw CancellationError() }
        write(Frame(streamID: streamID, type: .data, payload: ByteBuffer(bytes: bytes)), size: size)
    }

    /// A successful final Response.
    func response(_ streamID: UInt32, payload: [UInt8], streaming: Bool = false) async {
        let size = Self.responseSize(payload.count)
        guard size <= Frame.maxPayloadSize else {
            // Never send a frame the peer must reject: a final error Response instead.
            await response(streamID, error: Self.tooLarge(size), streaming: streaming)
            return
        }
        if !streaming {
            // The hottest path of the server: encoded by hand, straight into the batch.
            batcher.enqueueResponse(streamID, payload: payload, envelopeSize: size)
            return
        }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(size)
        Self.writeResponse(payload, into: &buffer)
        send(Frame(streamID: streamID, type: .response, payload: buffer), streaming: streaming)
    }

    /// Writes Response{status: {} (field 1, empty), payload: bytes (field 2)}, encoded by hand:
    /// `responseSize(payload.count)` bytes.
    static func writeResponse(_ payload: [UInt8], into buffer: inout ByteBuffer) {
        buffer.writeBytes([0x0a, 0x00])
        guard !payload.isEmpty else { return }
        buffer.writeInteger(UInt8(0x12))
        var length = UInt32(payload.count)
        while length >= 0x80 {
            buffer.writeInteger(UInt8(length & 0x7f | 0x80))
            length >>= 7
        }
        buffer.writeInteger(UInt8(length))
        buffer.writeBytes(payload)
    }

    /// The encoded size of a successful Response carrying `count` bytes of reply:
    /// an empty status (2 bytes), then the payload's tag, length varint and bytes.
    static func responseSize(_ count: Int) -> Int {
        guard count > 0 else { return 2 }
        var varint = 1
        var length = count >> 7
        while length > 0 {
            varint += 1
            length >>= 7
        }
        return 2 + 1 + varint + count
    }

    func response(_ streamID: UInt32, error: any Error, streaming: Bool = false) async {
        let rpcError = error as? RPCError ?? RPCError(.internal, "\(error)")
        var response = Ttrpc_Response()
        response.status = rpcError.status
        guard let bytes: [UInt8] = try? response.serializedBytes() else { return }
        send(Frame(streamID: streamID, type: .response, payload: ByteBuffer(bytes: bytes)), streaming: streaming)
    }

    static func tooLarge(_ count: Int) -> RPCError {
        RPCError(.resourceExhausted,
                 "reply of \(count) bytes exceeds the frame limit of \(Frame.maxPayloadSize) bytes (4 MiB)",
                 reason: "REPLY_TOO_LARGE")
    }

    /// Final Responses are charged without waiting: the reply exists already, and a call that has
    /// ended must say so even to a connection that is over its budget.
    private func send(_ frame: Frame, streaming: Bool) {
        let size = Frame.headerSize + frame.payload.readableBytes
        if streaming {
            budget.charge(size)
            write(frame, size: size)
        } else {
            batcher.enqueue(frame, size: size)
        }
    }

    /// Hands a charged frame to the channel; its bytes return to the budget once written (or failed).
    private func write(_ frame: Frame, size: Int) {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        let budget = self.budget
        promise.futureResult.whenComplete { _ in budget.release(size) }
        // The server's pipeline carries encoded bytes (no per-frame encoder handler).
        var buffer = ByteBuffer()
        frame.encode(into: &buffer)
        channel.writeAndFlush(buffer, promise: promise)
    }
}
