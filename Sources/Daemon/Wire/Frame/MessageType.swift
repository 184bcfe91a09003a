/// The ttrpc message types (byte 8 of the frame header).
public enum MessageType: UInt8, Sendable, CustomStringConvertible {
    /// Opens a stream; carries a `ttrpc.Request`.
    case request = 0x01
    /// Ends a stream; carries a `ttrpc.Response`.
    case response = 0x02
    /// Carries one streamed message.
    case data = 0x03

    public var description: String {
        switch self {
        case .request: "Request"
        case .response: "Response"
        case .data: "Data"
        }
    }
}
