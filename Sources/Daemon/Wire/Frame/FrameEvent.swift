/// What the frame parser produces from the byte stream.
public enum FrameEvent: Sendable, Equatable {
    /// A complete frame.
    case frame(Frame)
    /// A frame whose header announced more than `Frame.maxPayloadSize` bytes. Its payload is
    /// skipped without being buffered; the stream it names should be answered RESOURCE_EXHAUSTED.
    case oversized(streamID: UInt32, rawType: UInt8, length: UInt32)
}
