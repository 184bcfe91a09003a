public import Logging

/// What a handler knows about the call it serves.
public struct RequestContext: Sendable {
    /// Fully-qualified service name.
    public var service: String
    /// Method name.
    public var method: String
    /// Request metadata as sent (keys lower-case).
    public var metadata: [(key: String, value: String)]
    /// The `coi-request-id` sent by the caller (empty if none); echoed in logs.
    public var requestID: String
    /// When the call's deadline expires, if it has one.
    public var deadline: ContinuousClock.Instant?
    /// The Unix credentials of the peer process, when the transport knows them.
    public var peer: PeerCredentials?
    /// The connection's logger, before the call's metadata is added.
    public var baseLogger: Logger

    /// A logger carrying the method and request id. Built on use: most calls never log, and
    /// metadata costs an allocation per call.
    public var logger: Logger {
        var logger = baseLogger
        logger[metadataKey: "method"] = "\(service)/\(method)"
        if !requestID.isEmpty { logger[metadataKey: "request-id"] = "\(requestID)" }
        return logger
    }

    /// Creates a context.
    /// - Parameters:
    ///   - service: Fully-qualified service name.
    ///   - method: Method name.
    ///   - metadata: Request metadata.
    ///   - requestID: The request id.
    ///   - deadline: The deadline, if any.
    ///   - peer: The peer's credentials, if known.
    ///   - baseLogger: The connection's logger; the call's metadata is added on use.
    public init(service: String, method: String, metadata: [(key: String, value: String)], requestID: String,
                deadline: ContinuousClock.Instant?, peer: PeerCredentials?, baseLogger: Logger) {
        self.service = service
        self.method = method
        self.metadata = metadata
        self.requestID = requestID
        self.deadline = deadline
        self.peer = peer
        self.baseLogger = baseLogger
    }

    /// The first value sent for a metadata key.
    /// - Parameter key: A lower-case key.
    /// - Returns: The value, or nil.
    public func metadata(_ key: String) -> String? {
        metadata.first { $0.key == key }?.value
    }
}

/// Unix peer credentials (SO_PEERCRED) of a connection.
public struct PeerCredentials: Sendable, Hashable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32
    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }
}
