public import NIOCore

/// One ttrpc frame: a 10-byte header and its payload.
///
/// The message type is kept raw so that a frame with an unknown type can still be answered on its
/// stream id instead of being dropped.
public struct Frame: Sendable, Equatable {
    /// Size of the fixed header in bytes.
    public static let headerSize = 10
    /// Largest payload the protocol allows: 4 MiB.
    public static let maxPayloadSize = 4 * 1024 * 1024

    public var streamID: UInt32
    public var rawType: UInt8
    public var flags: FrameFlags
    public var payload: ByteBuffer

    /// The message type, or nil when byte 8 holds an undefined value.
    public var type: MessageType? { MessageType(rawValue: rawType) }

    /// Creates a frame.
    /// - Parameters:
    ///   - streamID: The stream the frame belongs to.
    ///   - type: The message type.
    ///   - flags: The flags, whose meaning depends on `type`.
    ///   - payload: The serialized message.
    public init(streamID: UInt32, type: MessageType, flags: FrameFlags = [], payload: ByteBuffer) {
        self.init(streamID: streamID, rawType: type.rawValue, flags: flags, payload: payload)
    }

    /// Creates a frame with a raw message type, including undefined ones (tests of bad input use this).
    public init(streamID: UInt32, rawType: UInt8, flags: FrameFlags, payload: ByteBuffer) {
        self.streamID = streamID
        self.rawType = rawType
        self.flags = flags
        self.payload = payload
    }

    /// Appends the encoded frame to `buffer`.
    /// - Parameter buffer: The buffer to write into.
    public func encode(into buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: Self.headerSize + payload.readableBytes)
        Self.writeHeader(length: payload.readableBytes, streamID: streamID, rawType: rawType, flags: flags, into: &buffer)
        var payload = payload
        buffer.writeBuffer(&payload)
    }

    /// Writes a frame header: the payload's length, the stream, the type and the flags (10 bytes,
    /// big-endian). For writers that encode the payload straight after it.
    public static func writeHeader(length: Int, streamID: UInt32, rawType: UInt8, flags: FrameFlags, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt32(length), endianness: .big)
        buffer.writeInteger(streamID, endianness: .big)
        buffer.writeInteger(rawType)
        buffer.writeInteger(flags.rawValue)
    }
}
