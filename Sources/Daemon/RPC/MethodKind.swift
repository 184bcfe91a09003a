/// The four call shapes of protobuf services.
public enum MethodKind: String, Sendable, Hashable, CaseIterable {
    case unary
    case serverStreaming = "server-streaming"
    case clientStreaming = "client-streaming"
    case bidirectionalStreaming = "bidirectional-streaming"

    /// Whether the client sends a stream of messages.
    public var clientStreams: Bool { self == .clientStreaming || self == .bidirectionalStreaming }
    /// Whether the server sends a stream of messages.
    public var serverStreams: Bool { self == .serverStreaming || self == .bidirectionalStreaming }
}
