public import Logging
public import COIWire
import Synchronization

/// What a handler knows about the call it serves.
public struct RequestContext: Sendable {
    /// Fully-qualified service name.
    public var service: String
    /// Method name.
    public var method: String
    /// Request metadata as sent (keys lower-case).
    public var metadata: [MetadataEntry]
    /// The `coi-request-id` sent by the caller (empty if none); echoed in logs.
    public var requestID: String
    /// When the call's deadline expires, if it has one.
    public var deadline: ContinuousClock.Instant?
    /// The Unix credentials of the peer process, when the transport knows them.
    public var peer: PeerCredentials?
    /// The connection's logger, before the call's metadata is added.
    public var baseLogger: Logger
    /// Who is calling; set by the host before the handler runs.
    public var principal: Principal = .anonymous
    /// For a plugin's in-process call (`PluginCalls`): the plugins whose calls led to it, outermost
    /// first; empty for a call from the socket. Bounds how deep such calls may nest.
    package var callChain: [String] = []
    /// Where the handler names what a write changed, for the audit log.
    public let audit = AuditNote()

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
    public init(service: String, method: String, metadata: [MetadataEntry], requestID: String,
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

    /// The named account a write is credited to.
    /// - Returns: The account.
    /// - Throws: FAILED_PRECONDITION when the caller has no account (a local admin whose OS user
    ///   is not linked to one): nobody contributes anonymously.
    public func requireAccount() throws -> AccountRef {
        guard let account = principal.account else {
            throw RPCError(.failedPrecondition,
                           "\(principal.caller) has no named account; contributions must be credited to a person "
                           + "(link your OS user with `coictl accounts add --os-user` or use a token)",
                           reason: "ACCOUNT_REQUIRED")
        }
        return account
    }

    /// Fails unless the caller holds `permission` everywhere or in `scope`.
    /// - Parameters:
    ///   - permission: The permission.
    ///   - scope: The object the call is about, e.g. "campaign:cmp_12".
    /// - Throws: PERMISSION_DENIED naming the permission and scope.
    public func require(_ permission: String, in scope: String) throws {
        guard principal.can(permission, in: scope) else {
            throw RPCError(.permissionDenied, "\(principal.permissionSubject) lacks permission \(permission) in \(scope)",
                           reason: "PERMISSION_DENIED")
        }
    }
}

/// What a write changed and why, named by its handler for the audit log.
public final class AuditNote: Sendable {
    private let values = Mutex((target: "", reason: "", principal: Principal?.none))
    public init() {}
    /// Who the call was established to be, set by authentication as soon as it is known, so that a
    /// call refused later (for lack of permission) is still audited under the caller's name.
    public var principal: Principal? {
        get { values.withLock { $0.principal } }
        set { values.withLock { $0.principal = newValue } }
    }
    /// What the call changed, e.g. "account:acc_…"; empty when the handler named none.
    public var target: String {
        get { values.withLock { $0.target } }
        set { values.withLock { $0.target = newValue } }
    }
    /// The reason the caller gave, if the method takes one.
    public var reason: String {
        get { values.withLock { $0.reason } }
        set { values.withLock { $0.reason = String(newValue.prefix(500)) } }
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
