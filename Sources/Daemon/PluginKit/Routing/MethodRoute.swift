/// The four call shapes of protobuf services.
public enum MethodKind: String, Sendable, Equatable {
    case unary
    case serverStreaming = "server-streaming"
    case clientStreaming = "client-streaming"
    case bidirectionalStreaming = "bidirectional-streaming"

    /// Whether the client sends a stream of messages.
    public var clientStreams: Bool { self == .clientStreaming || self == .bidirectionalStreaming }
    /// Whether the server sends a stream of messages.
    public var serverStreams: Bool { self == .serverStreaming || self == .bidirectionalStreaming }
}

/// Sends messages on a server stream.
public struct RawResponseWriter: Sendable {
    private let sendBytes: @Sendable ([UInt8]) async throws -> Void
    /// Creates a writer.
    /// - Parameter send: Writes one serialized message as a Data frame.
    public init(_ send: @escaping @Sendable ([UInt8]) async throws -> Void) {
        self.sendBytes = send
    }
    /// Sends one serialized message.
    /// - Parameter bytes: The message.
    public func send(_ bytes: [UInt8]) async throws { try await sendBytes(bytes) }
}

/// The serialized messages a client streams, ending when the client closes its side.
public typealias RawRequestStream = AsyncThrowingStream<[UInt8], any Error>

/// A handler working on serialized messages; the typed registration functions of `Router` build these.
public enum RawHandler: Sendable {
    case unary(@Sendable ([UInt8], RequestContext) async throws -> [UInt8])
    case serverStreaming(@Sendable ([UInt8], RequestContext, RawResponseWriter) async throws -> Void)
    case clientStreaming(@Sendable (RawRequestStream, RequestContext) async throws -> [UInt8])
    case bidirectionalStreaming(@Sendable (RawRequestStream, RequestContext, RawResponseWriter) async throws -> Void)

    /// The call shape this handler serves.
    public var kind: MethodKind {
        switch self {
        case .unary: .unary
        case .serverStreaming: .serverStreaming
        case .clientStreaming: .clientStreaming
        case .bidirectionalStreaming: .bidirectionalStreaming
        }
    }
}

/// One callable method: where it is, who may call it, and what serves it.
public struct MethodRoute: Sendable {
    public var service: String
    public var method: String
    /// Who may call it and whether it changes state, declared next to the handler.
    public var access: Access
    public var handler: RawHandler
    /// "service/method", the routing key.
    public var path: String { "\(service)/\(method)" }
}
