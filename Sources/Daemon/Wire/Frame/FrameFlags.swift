/// Flag bits of byte 9 of the frame header; their meaning depends on the message type.
public struct FrameFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Request or Data: the sender will send no more data on this stream.
    public static let remoteClosed = FrameFlags(rawValue: 0x01)
    /// Request only: the sender will follow with Data frames.
    public static let remoteOpen = FrameFlags(rawValue: 0x02)
    /// Data only: the frame carries no message (a bare close).
    public static let noData = FrameFlags(rawValue: 0x04)

    /// Flags a Request frame may carry.
    public static let validForRequest: FrameFlags = [.remoteClosed, .remoteOpen]
    /// Flags a Data frame may carry.
    public static let validForData: FrameFlags = [.remoteClosed, .noData]
}
