import COIPluginKit
import COIWire
import CoreMetrics
import Logging
import Synchronization

/// Failed authentication and refused permissions: each is counted in metrics, and logged at notice
/// (journald `<5>`) with the method and the peer (the connection's `peer_uid`/`peer_pid` or TLS
/// `peer` address) — never the token. The log is rate-limited by a token bucket
/// (`security_log_per_minute`, `security_log_burst`), so a flood of bad tokens cannot fill the
/// journal; what is not logged is still counted, and the next logged event says how many were
/// left out.
final class SecurityEvents: Sendable {
    private struct Bucket {
        var perMinute: Double
        var burst: Double
        var tokens: Double
        var updated: ContinuousClock.Instant
        var suppressed = 0
    }

    private let bucket: Mutex<Bucket>
    private let factory: any MetricsFactory
    private let suppressedCounter: CoreMetrics.Counter
    private let counters = Mutex<[String: CoreMetrics.Counter]>([:])

    /// Creates the event log.
    /// - Parameters:
    ///   - settings: The rate limit of the log.
    ///   - factory: Where the counts go.
    init(settings: IdentitySettings, factory: any MetricsFactory) {
        bucket = Mutex(Bucket(perMinute: Double(settings.securityLogPerMinute), burst: Double(settings.securityLogBurst),
                              tokens: Double(settings.securityLogBurst), updated: .now))
        self.factory = factory
        suppressedCounter = CoreMetrics.Counter(label: MetricCatalog.securityLogSuppressed, factory: factory)
    }

    /// Applies reloaded settings (SIGHUP).
    func configure(_ settings: IdentitySettings) {
        bucket.withLock {
            $0.perMinute = Double(settings.securityLogPerMinute)
            $0.burst = Double(settings.securityLogBurst)
            $0.tokens = min($0.tokens, $0.burst)
        }
    }

    /// Records a call refused at authentication or authorisation, if `status` is such a refusal.
    /// - Parameters:
    ///   - status: The call's final status.
    ///   - route: The method called.
    ///   - context: The call (its logger carries the peer; its audit note the principal, once known).
    func record(_ status: RPCError, route: MethodRoute, context: RequestContext) {
        let event: String
        let counterKey: String
        let dimensions: [(String, String)]
        switch status.code {
        case .unauthenticated where Self.authenticationReasons.contains(status.reason):
            event = "authentication failed"
            counterKey = "auth/" + (status.reason)
            dimensions = [("reason", status.reason)]
        case .unauthenticated, .permissionDenied:
            event = "permission refused"
            counterKey = "perm/" + route.path
            dimensions = [("service", route.service), ("method", route.method)]
        default:
            return
        }
        counter(counterKey, label: event == "authentication failed" ? MetricCatalog.authFailures : MetricCatalog.permissionDenials,
                dimensions: dimensions).increment()
        guard let suppressed = take() else {
            suppressedCounter.increment()
            return
        }
        var metadata: Logger.Metadata = [
            "event": .string(event == "authentication failed" ? "authentication_failed" : "permission_refused"),
            "method": "\(route.path)",
            "status": "\(status.code.name)",
            "reason": "\(status.reason)",
            "error": "\(status.message)",
        ]
        if let peer = context.peer {
            metadata["peer_uid"] = "\(peer.uid)"
            metadata["peer_pid"] = "\(peer.pid)"
        }
        if let principal = context.audit.principal, principal.isIdentified {
            metadata["caller"] = "\(principal.caller)"
        }
        if suppressed > 0 { metadata["not_logged_before"] = "\(suppressed)" }
        context.baseLogger.notice("\(event)", metadata: metadata)
    }

    /// The reasons authentication gives when a credential does not hold.
    static let authenticationReasons: Set<String> = [
        "TOKEN_UNKNOWN", "TOKEN_REVOKED", "TOKEN_EXPIRED", "BAD_AUTHORIZATION", "TOKEN_REQUIRED",
        "ACCOUNT_UNKNOWN", "ACCOUNT_SUSPENDED", "ACCOUNT_ERASED",
    ]

    private func counter(_ key: String, label: String, dimensions: [(String, String)]) -> CoreMetrics.Counter {
        counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let made = CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory)
            counters[key] = made
            return made
        }
    }

    /// Takes one line from the bucket: the number of events left out since the last logged one,
    /// or nil when this one must be left out too.
    private func take() -> Int? {
        let now = ContinuousClock.now
        return bucket.withLock { bucket -> Int? in
            let elapsed = now - bucket.updated
            let minutes = (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) / 60
            bucket.tokens = min(bucket.burst, bucket.tokens + minutes * bucket.perMinute)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                bucket.suppressed += 1
                return nil
            }
            bucket.tokens -= 1
            defer { bucket.suppressed = 0 }
            return bucket.suppressed
        }
    }
}

/// Just inside the metrics step: every call refused for who the caller is, or for what they may
/// do, whether by authentication, authorisation or a handler's scoped check, becomes a security
/// event.
struct SecurityEventInterceptor: ServerInterceptor {
    let events: SecurityEvents

    nonisolated(nonsending) func intercept(_ call: ServerCall, next: nonisolated(nonsending) @Sendable (ServerCall) async throws -> [UInt8]) async throws -> [UInt8] {
        do {
            return try await next(call)
        } catch let status as RPCError {
            events.record(status, route: call.route, context: call.context)
            throw status
        }
    }
}
