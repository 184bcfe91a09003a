@testable import COIHost
import COIProto
import COIWire
import NIOCore
import NIOEmbedded
import Foundation
import Testing

/// The server never sends a frame over the protocol's 4 MiB limit, and what it queues for one
/// connection stays within the connection's outbound budget (issue 10 item 5).
@Suite struct FrameWriterTests {

    static func writer(limit: Int = 16 * 1024 * 1024) async throws -> (NIOAsyncTestingChannel, FrameWriter, OutboundBudget) {
        let channel = NIOAsyncTestingChannel()
        try await channel.connect(to: try SocketAddress(unixDomainSocketPath: "/tmp/coid-test.sock"))
        let budget = OutboundBudget { limit }
        return (channel, FrameWriter(channel: channel, budget: budget), budget)
    }

    /// The frames of the next buffer the writer handed to the channel (the server's pipeline
    /// carries encoded bytes; a batch of replies is one buffer).
    static func nextFrames(_ channel: NIOAsyncTestingChannel) async throws -> [Frame] {
        var buffer = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
        var parser = FrameParser()
        var frames: [Frame] = []
        while case let .frame(frame)? = try parser.next(from: &buffer) { frames.append(frame) }
        #expect(buffer.readableBytes == 0, "a frame was cut short")
        return frames
    }

    static func nextFrame(_ channel: NIOAsyncTestingChannel) async throws -> Frame {
        let frames = try await nextFrames(channel)
        #expect(frames.count == 1)
        return try #require(frames.first)
    }

    static func status(of frame: Frame) throws -> Ttrpc_Response {
        #expect(frame.type == .response)
        return try Ttrpc_Response(serializedBytes: Array(buffer: frame.payload))
    }

    @Test func aFinalResponseOverFourMebibytesIsReplacedByReplyTooLarge() async throws {
        let (channel, writer, budget) = try await Self.writer()
        // The payload alone fits a frame; with the Response's own fields it does not.
        for streaming in [false, true] {
            await writer.response(7, payload: [UInt8](repeating: 0x61, count: Frame.maxPayloadSize - 2), streaming: streaming)
            await channel.testingEventLoop.run()
            let frame = try await Self.nextFrame(channel)
            #expect(frame.streamID == 7 && frame.payload.readableBytes <= Frame.maxPayloadSize)
            let response = try Self.status(of: frame)
            #expect(response.status.code == StatusCode.resourceExhausted.rawValue)
            #expect(response.status.message.contains("exceeds the frame limit"))
        }
        // Written frames give their bytes back.
        await channel.testingEventLoop.run()
        for _ in 0..<100 where budget.used != 0 { await Task.yield() }
        #expect(budget.used == 0)
        _ = try await channel.finish()
    }

    @Test func aDataMessageOverFourMebibytesIsRefusedAndNothingIsSent() async throws {
        let (channel, writer, _) = try await Self.writer()
        await #expect {
            try await writer.data(3, [UInt8](repeating: 0x62, count: Frame.maxPayloadSize + 1))
        } throws: { ($0 as? RPCError)?.reason == "REPLY_TOO_LARGE" }
        // Exactly the limit is allowed.
        try await writer.data(3, [UInt8](repeating: 0x62, count: Frame.maxPayloadSize))
        await channel.testingEventLoop.run()
        let frame = try await Self.nextFrame(channel)
        #expect(frame.type == .data && frame.payload.readableBytes == Frame.maxPayloadSize)
        _ = try await channel.finish()
    }

    @Test func aSmallFinalResponseGoesOutAsIs() async throws {
        let (channel, writer, _) = try await Self.writer()
        await writer.response(9, payload: Array("æøå".utf8))
        await channel.testingEventLoop.run()
        let response = try Self.status(of: try await Self.nextFrame(channel))
        #expect(response.status.code == 0 && response.payload == Data("æøå".utf8))
        _ = try await channel.finish()
    }

    /// The hand-encoded Response (written straight into the batch) is what SwiftProtobuf decodes,
    /// at every length-varint boundary, and its frame length is the size the budget was charged.
    @Test(arguments: [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152])
    func handEncodedResponsesDecodeAsTtrpcResponses(count: Int) async throws {
        let (channel, writer, budget) = try await Self.writer()
        let payload = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        await writer.response(3, payload: payload)
        await channel.testingEventLoop.run()
        let frame = try await Self.nextFrame(channel)
        #expect(frame.streamID == 3 && frame.type == .response && frame.flags.isEmpty)
        #expect(frame.payload.readableBytes == FrameWriter.responseSize(count))
        let response = try Self.status(of: frame)
        #expect(response.hasStatus && response.status.code == 0)
        #expect(response.payload == Data(payload))
        for _ in 0..<100 where budget.used != 0 { await Task.yield() }
        #expect(budget.used == 0)
        _ = try await channel.finish()
    }

    /// Replies queued together are encoded into one buffer per batch: every frame arrives whole, in
    /// the order queued, and the budget is given back. (How many replies share a write depends on
    /// when the loop drains, so that count is not asserted.)
    @Test func queuedFinalResponsesArriveWholeAndInTheirOrder() async throws {
        let (channel, writer, budget) = try await Self.writer()
        let streams = Array(stride(from: UInt32(1), through: 99, by: 2))
        for stream in streams {
            await writer.response(stream, payload: Array("svar \(stream) æøå".utf8))
        }
        await channel.testingEventLoop.run()
        var frames: [Frame] = []
        while frames.count < streams.count { frames += try await Self.nextFrames(channel) }
        #expect(frames.map(\.streamID) == streams)
        for frame in frames {
            #expect(try Self.status(of: frame).payload == Data("svar \(frame.streamID) æøå".utf8))
        }
        for _ in 0..<100 where budget.used != 0 { await Task.yield() }
        #expect(budget.used == 0)
        _ = try await channel.finish()
    }
}

/// The outbound budget: Data waits for room, final Responses never wait, closing releases waiters.
@Suite struct OutboundBudgetTests {

    @Test func dataWaitsForRoomUntilBytesAreWritten() async throws {
        let budget = OutboundBudget { 100 }
        #expect(await budget.acquire(80))
        #expect(budget.isBelowLimit)
        budget.charge(30)  // a final Response: over the limit, without waiting
        #expect(!budget.isBelowLimit)
        let waiting = Task { await budget.acquire(50) }
        budget.release(80)
        #expect(await waiting.value)
        #expect(budget.used == 80)
        budget.release(80)
        #expect(budget.used == 0)
        // Nothing queued: one frame larger than the whole budget still goes out.
        #expect(await budget.acquire(1000))
    }

    @Test func closingReleasesEveryoneWaitingForRoom() async throws {
        let budget = OutboundBudget { 10 }
        #expect(await budget.acquire(10))
        let waiting = Task { await budget.acquire(5) }
        let gate = Task { await budget.waitUntilBelowLimit() }
        budget.close()
        #expect(await waiting.value == false)
        #expect(await gate.value == false)
        #expect(await budget.acquire(1) == false, "after close nothing more is taken")
        budget.release(10)
        await budget.waitUntilEmpty()
    }

    @Test func aCancelledWaiterTakesNothing() async throws {
        let budget = OutboundBudget { 10 }
        #expect(await budget.acquire(10))
        let waiting = Task { await budget.acquire(5) }
        waiting.cancel()
        #expect(await waiting.value == false)
        budget.release(10)
        #expect(budget.used == 0)
    }
}
