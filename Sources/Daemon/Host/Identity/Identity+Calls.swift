import COIPluginKit
import COIWire
import Logging

extension Identity {
    /// Appends a write call to the audit log, before its Response is sent, so that every
    /// acknowledged write is also audited.
    /// - Parameters:
    ///   - route: The method called.
    ///   - context: The call, with the principal if authentication got that far.
    ///   - outcome: The status the call ends with.
    func record(_ route: MethodRoute, _ context: RequestContext, outcome: StatusCode) async {
        guard route.access.isAudited else { return }
        let access = route.access
        if access.effect == .read, !access.auditsReads, context.audit.target.isEmpty { return }
        // Authentication may have established the caller before a later step refused the call.
        let principal = context.audit.principal ?? context.principal
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
