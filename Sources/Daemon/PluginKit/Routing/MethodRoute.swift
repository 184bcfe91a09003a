public import COIRPC

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

/// A unary handler on serialized messages. It runs on the executor of its caller (the call's task on
/// its connection's event loop) rather than hopping to the generic executor at every await (issue 15).
public typealias RawUnaryHandler = nonisolated(nonsending) @Sendable ([UInt8], RequestContext) async throws -> [UInt8]

/// A handler working on serialized messages; the typed registration functions of `Router` build these.
public enum RawHandler: Sendable {
    case unary(RawUnaryHandler)
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

/// How long a server stream runs, declared at registration.
public enum StreamLifetime: Sendable, Hashable {
    /// Ends by itself once its replies are sent (exports, listings, a feed's backlog).
    case finite
    /// Follows changes until the caller leaves (feeds with `follow`, Health/Watch). The host ends
    /// such a stream with UNAVAILABLE as soon as it begins to shut down, rather than after the
    /// grace period, and counts it against its caller's cap of long-lived streams
    /// (`server.max_long_lived_streams_per_principal`, `server.max_long_lived_streams_anonymous`).
    case longLived
}

/// Where a method's handler runs, declared at registration (issue 15).
///
/// The host runs each connection's calls on the event loop that reads its socket, so a call costs
/// no thread hand-over. Database work does not hold the loop up: GRDB runs it on its own queues and
/// the handler resumes on the loop. Computing for long between awaits would hold up every other
/// connection served by the same loop, so such methods say so and run on the shared pool.
public enum RouteCost: Sendable, Hashable {
    /// Waits on the database or other calls and otherwise computes for well under a millisecond.
    case light
    /// Computes for milliseconds or more outside database closures (survey estimates over a
    /// whole wave): the handler runs on the shared concurrency pool. Used for unary methods.
    case heavy
}

/// One callable method: where it is, who may call it, and what serves it.
public struct MethodRoute: Sendable {
    /// The method, from generated code.
    public var rpc: AnyRPC
    /// Who may call it and whether it changes state, declared next to the handler.
    public var access: Access
    public var handler: RawHandler
    /// Whether the host treats the method as a feed (see `StreamLifetime`).
    public var lifetime: StreamLifetime = .finite
    /// Where its handler runs (see `RouteCost`).
    public var cost: RouteCost = .light
    /// The route's place in the host's route table, set when the table is built (-1 before): the
    /// host keys per-method state (metrics) by it instead of hashing two names per call.
    package var index = -1
    /// Fully-qualified service name.
    public var service: String { rpc.service.name }
    /// Method name.
    public var method: String { rpc.method }
    /// "service/method", the routing key.
    public var path: String { rpc.path }
}
