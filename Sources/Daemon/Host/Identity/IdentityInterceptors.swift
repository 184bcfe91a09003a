import COIPluginKit
import COIWire

extension Identity {
    /// The steps every call passes before its handler, outermost first: security events (so that
    /// refusals anywhere inside, a handler's scoped check included, are logged), audit (so that
    /// refused writes are recorded too), authentication, rate limiting, authorisation.
    var interceptors: [any ServerInterceptor] {
        [SecurityEventInterceptor(events: securityEvents), AuditInterceptor(identity: self), AuthenticationInterceptor(identity: self),
         RateLimitInterceptor(identity: self), AuthorizationInterceptor(identity: self)]
    }
}

/// Establishes the principal from the token, the peer's Unix user and `coi-act-as`.
struct AuthenticationInterceptor: ServerInterceptor {
    let identity: Identity

    nonisolated(nonsending) func intercept(_ call: ServerCall, next: nonisolated(nonsending) @Sendable (ServerCall) async throws -> [UInt8]) async throws -> [UInt8] {
        var call = call
        // A plugin's in-process call acts as the person of the call it serves (`PluginCalls`).
        let principal = if let inherited = call.inherited { inherited }
            else { try await identity.authenticate(call.context, authorization: call.authorization) }
        call.context.principal = principal
        call.context.audit.principal = principal
        // The secret goes no further than authentication.
        call.authorization = nil
        return try await next(call)
    }
}

/// Refuses callers over their rate (RESOURCE_EXHAUSTED with the wait).
struct RateLimitInterceptor: ServerInterceptor {
    let identity: Identity

    nonisolated(nonsending) func intercept(_ call: ServerCall, next: nonisolated(nonsending) @Sendable (ServerCall) async throws -> [UInt8]) async throws -> [UInt8] {
        let caller = call.context.principal.caller
        if let wait = identity.limiter.take(caller) {
            throw RPCError(.resourceExhausted, "rate limit for \(caller) exceeded; retry in \(wait)", reason: "RATE_LIMITED")
        }
        return try await next(call)
    }
}

/// Refuses calls whose principal lacks the method's permission.
struct AuthorizationInterceptor: ServerInterceptor {
    let identity: Identity

    nonisolated(nonsending) func intercept(_ call: ServerCall, next: nonisolated(nonsending) @Sendable (ServerCall) async throws -> [UInt8]) async throws -> [UInt8] {
        try identity.authorize(call.route, call.context.principal)
        return try await next(call)
    }
}

/// Appends every write call, and every call of a read marked `Access.audited()`, whatever its
/// outcome, to the audit log before its Response is sent, so that every acknowledged write is
/// also audited.
struct AuditInterceptor: ServerInterceptor {
    let identity: Identity

    func applies(to route: MethodRoute) -> Bool { route.access.isAudited }

    nonisolated(nonsending) func intercept(_ call: ServerCall, next: nonisolated(nonsending) @Sendable (ServerCall) async throws -> [UInt8]) async throws -> [UInt8] {
        guard call.route.access.isAudited else { return try await next(call) }
        do {
            let reply = try await next(call)
            await identity.record(call.route, call.context, outcome: .ok)
            return reply
        } catch {
            let status = CallExecutor.status(for: error, context: call.context)
            await identity.record(call.route, call.context, outcome: status.code)
            throw status
        }
    }
}
