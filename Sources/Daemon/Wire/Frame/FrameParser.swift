public import NIOCore

/// Cuts a byte stream into frames, tolerating any split or coalescing of the bytes.
///
/// Oversized payloads are skipped as they arrive rather than buffered, so a hostile length costs
/// no memory. A length of 16 MiB or more cannot be ttrpc at all (the first header byte is reserved
/// and always zero), so the parser reports the peer as not speaking the protocol.
public struct FrameParser: Sendable {
    /// Thrown when the header cannot belong to a ttrpc frame; the connection should be closed.
    public struct ProtocolViolation: Error, Sendable, Equatable, CustomStringConvertible {
        public let claimedLength: UInt32
        public var description: String {
            "frame header claims \(claimedLength) bytes; the reserved first byte must be 0 (is the peer speaking ttrpc?)"
        }
    }

    private let maxPayloadSize: Int
    private var bytesToSkip = 0

    /// Creates a parser.
    /// - Parameter maxPayloadSize: Payloads above this size are skipped and reported as oversized.
    public init(maxPayloadSize: Int = Frame.maxPayloadSize) {
        self.maxPayloadSize = maxPayloadSize
    }

    /// Takes the next event out of `buffer`, or returns nil if more bytes are needed.
    /// - Parameter buffer: Bytes received so far; consumed bytes are removed from its readable part.
    /// - Returns: The next frame or oversize report, or nil.
    /// - Throws: `ProtocolViolation` when the header cannot be ttrpc.
    public mutating func next(from buffer: inout ByteBuffer) throws(ProtocolViolation) -> FrameEvent? {
        while bytesToSkip > 0 {
            guard buffer.readableBytes > 0 else { return nil }
            let n = min(bytesToSkip, buffer.readableBytes)
            buffer.moveReaderIndex(forwardBy: n)
            bytesToSkip -= n
        }
        guard buffer.readableBytes >= Frame.headerSize else { return nil }
        let start = buffer.readerIndex
        let length = buffer.getInteger(at: start, endianness: .big, as: UInt32.self)!
        let streamID = buffer.getInteger(at: start + 4, endianness: .big, as: UInt32.self)!
        let rawType = buffer.getInteger(at: start + 8, as: UInt8.self)!
        let flags = buffer.getInteger(at: start + 9, as: UInt8.self)!
        if length >= 1 << 24 {
            throw ProtocolViolation(claimedLength: length)
        }
        if Int(length) > maxPayloadSize {
            buffer.moveReaderIndex(forwardBy: Frame.headerSize)
            bytesToSkip = Int(length)
            // Skip what is already here so a caller that stops reading still sees progress.
            let n = min(bytesToSkip, buffer.readableBytes)
            buffer.moveReaderIndex(forwardBy: n)
            bytesToSkip -= n
            return .oversized(streamID: streamID, rawType: rawType, length: length)
        }
        guard buffer.readableBytes >= Frame.headerSize + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: Frame.headerSize)
        let payload = buffer.readSlice(length: Int(length))!
        return .frame(Frame(streamID: streamID, rawType: rawType, flags: FrameFlags(rawValue: flags), payload: payload))
    }

    /// Whether the parser is in the middle of skipping an oversized payload.
    public var isSkipping: Bool { bytesToSkip > 0 }
}
