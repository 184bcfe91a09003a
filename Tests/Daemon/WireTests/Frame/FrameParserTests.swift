import NIOCore
import Testing
@testable import COIWire

@Suite struct FrameParserTests {
    func frame(_ id: UInt32, _ type: MessageType = .request, flags: FrameFlags = [], size: Int) -> Frame {
        Frame(streamID: id, type: type, flags: flags, payload: ByteBuffer(repeating: UInt8(id & 0xff), count: size))
    }

    func encode(_ frames: [Frame]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for f in frames { f.encode(into: &buffer) }
        return buffer
    }

    func parseAll(_ chunks: [ByteBuffer], parser: inout FrameParser) throws -> [FrameEvent] {
        var pending = ByteBuffer()
        var events: [FrameEvent] = []
        for var chunk in chunks {
            pending.writeBuffer(&chunk)
            while let event = try parser.next(from: &pending) { events.append(event) }
        }
        return events
    }

    @Test func headerLayoutIsBigEndian() {
        let bytes = Array(buffer: encode([Frame(streamID: 0x0102_0304, type: .data, flags: .remoteClosed, payload: ByteBuffer(bytes: [9, 9]))]))
        #expect(bytes == [0, 0, 0, 2, 1, 2, 3, 4, 3, 1, 9, 9])
    }

    @Test func coalescedFramesComeOutInOrder() throws {
        let frames = [frame(1, size: 0), frame(3, size: 17), frame(5, .data, flags: .remoteClosed, size: 1000)]
        var parser = FrameParser()
        let events = try parseAll([encode(frames)], parser: &parser)
        #expect(events == frames.map { .frame($0) })
    }

    @Test(arguments: [1, 3, 7, 10, 11, 64])
    func splitFramesReassemble(chunkSize: Int) throws {
        let frames = [frame(1, size: 5), frame(3, size: 300), frame(5, size: 0)]
        var all = encode(frames)
        var chunks: [ByteBuffer] = []
        while all.readableBytes > 0 { chunks.append(all.readSlice(length: min(chunkSize, all.readableBytes))!) }
        var parser = FrameParser()
        #expect(try parseAll(chunks, parser: &parser) == frames.map { .frame($0) })
    }

    @Test func exactlyFourMebibytesIsAccepted() throws {
        let big = frame(1, size: Frame.maxPayloadSize)
        var parser = FrameParser()
        let events = try parseAll([encode([big])], parser: &parser)
        #expect(events == [.frame(big)])
    }

    @Test func oversizedPayloadIsSkippedAndTheNextFrameSurvives() throws {
        let tooBig = frame(1, size: Frame.maxPayloadSize + 1)
        let next = frame(3, size: 4)
        var bytes = encode([tooBig, next])
        // Deliver in 64 KiB chunks: the parser must not wait to buffer the whole oversized payload.
        var chunks: [ByteBuffer] = []
        while bytes.readableBytes > 0 { chunks.append(bytes.readSlice(length: min(65536, bytes.readableBytes))!) }
        var parser = FrameParser()
        let events = try parseAll(chunks, parser: &parser)
        #expect(events == [.oversized(streamID: 1, rawType: 1, length: UInt32(Frame.maxPayloadSize + 1)), .frame(next)])
    }

    @Test func impossibleLengthIsAProtocolViolation() {
        var buffer = ByteBuffer(bytes: Array("GET / HTTP/1.1\r\n".utf8))
        var parser = FrameParser()
        #expect(throws: FrameParser.ProtocolViolation.self) { try parser.next(from: &buffer) }
    }

    @Test func incompleteHeaderWaits() throws {
        var buffer = ByteBuffer(bytes: [0, 0, 0, 1, 0, 0, 0])
        var parser = FrameParser()
        #expect(try parser.next(from: &buffer) == nil)
        #expect(buffer.readableBytes == 7)
    }
}
