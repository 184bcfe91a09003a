import COIPluginKit
import COIWire
import Logging

extension Identity {
    /// Authenticates, rate-limits and authorises one call.
    ///
    /// The principal is put in `context` as soon as it is known, so that a call refused for lack
    /// of permission is still audited under the caller's name.
    /// - Parameters:
    ///   - route: The method called.
    ///   - context: The call; receives the principal.
    ///   - authorization: The call's `authorization` metadata, if sent.
    /// - Throws: UNAUTHENTICATED, RESOURCE_EXHAUSTED or PERMISSION_DENIED.
    func admit(_ route: MethodRoute, _ context: inout RequestContext, authorization: String?) async throws {
        let principal = try await authenticate(context, authorization: authorization)
        context.principal = principal
        if let wait = limiter.take(principal.caller) {
            throw RPCError(.resourceExhausted, "rate limit for \(principal.caller) exceeded; retry in \(wait)", reason: "RATE_LIMITED")
        }
        try authorize(route, principal)
    }

    /// Appends a write call to the audit log, before its Response is sent, so that every
    /// acknowledged write is also audited.
    /// - Parameters:
    ///   - route: The method called.
    ///   - context: The call, with the principal if authentication got that far.
    ///   - outcome: The status the call ends with.
    func record(_ route: MethodRoute, _ context: RequestContext, outcome: StatusCode) async {
        guard route.access.effect == .write else { return }
        let principal = context.principal
        let caller = principal.credential != .none ? principal.caller
            : context.peer.map { "unix:uid=\($0.uid)(\(UnixUsers.name(of: $0.uid)))" } ?? "unauthenticated"
        let entry = AuditLog.Entry(principal: caller, actAs: principal.actingFor ?? "", method: route.path,
                                   target: context.audit.target, outcome: outcome.name, requestID: context.requestID,
                                   reason: context.audit.reason)
        do {
            try await audit.append(entry)
        } catch {
            context.logger.critical("audit log append failed", metadata: ["error": "\(error)", "method": "\(route.path)"])
        }
    }
}
