/// Who may call a method and whether it changes state, declared once next to its registration.
///
/// The host checks access before the handler runs: no identity where one is needed →
/// UNAUTHENTICATED; an identity without the permission → PERMISSION_DENIED. Every `.write` call is
/// recorded in the audit log, and anonymous callers can never make one, except through a method
/// declared `credentialInRequest`, whose handler authenticates the caller by a secret in the request.
public struct Access: Sendable, Hashable, CustomStringConvertible {
    /// Whether the method changes state.
    public enum Effect: String, Sendable, Hashable {
        case read
        case write
    }

    /// The permission needed; nil when any caller (`open`) or any identified caller may call.
    public var permission: String?
    /// Whether an identity is needed at all.
    public var needsIdentity: Bool
    public var effect: Effect
    /// Whether the handler itself authenticates the caller by a credential carried in the request
    /// (a survey invitation token) instead of an account: the only way an unidentified caller writes.
    public var credentialInRequest = false
    /// Whether reads are recorded in the audit log too (`audited()`).
    public var auditsReads = false
    /// Whether reads are recorded when the handler names a target (`auditedWhenTargeted()`).
    public var auditsTargetedReads = false

    /// Whether the audit step runs for the method: every write, and reads marked `audited()` or
    /// `auditedWhenTargeted()`.
    public var isAudited: Bool { effect == .write || auditsReads || auditsTargetedReads }

    /// This access, with every call recorded in the audit log although it changes nothing: for
    /// reads that disclose personal data in bulk or on request (a backup of the database, one
    /// person's personal data, a contact looked up by address), so that who took what, and when,
    /// is on record as it is for writes.
    /// - Returns: The access rule.
    public func audited() -> Access {
        var access = self
        access.auditsReads = true
        return access
    }

    /// This access, with a call recorded in the audit log when its handler names a target
    /// (`context.audit.target`), refused or not: for a read whose request decides whether it
    /// discloses personal data (a members export: the public columns, or with contact details).
    /// Unlike `audited()`, `anonymous_read` still opens it, for the requests that name nothing.
    /// - Returns: The access rule.
    public func auditedWhenTargeted() -> Access {
        var access = self
        access.auditsTargetedReads = true
        return access
    }

    /// Any caller, identified or not (health, reflection, echo). Never for writes.
    public static let open = Access(permission: nil, needsIdentity: false, effect: .read)
    /// Any identified caller, whatever its roles (e.g. "who am I").
    public static let authenticated = Access(permission: nil, needsIdentity: true, effect: .read)

    /// A state-changing call by any identified caller, whose handler decides what that caller may
    /// change (self-service: revoking one's own token); audited like every write.
    public static let authenticatedWrite = Access(permission: nil, needsIdentity: true, effect: .write)

    /// A read that needs `permission`. Anonymous callers get it only where the plugin's config
    /// sets `anonymous_read = true`.
    /// - Parameter permission: The permission, e.g. "wiki.read".
    /// - Returns: The access rule.
    public static func read(_ permission: String) -> Access {
        Access(permission: permission, needsIdentity: true, effect: .read)
    }

    /// A state-changing call that needs `permission`; audited.
    /// - Parameter permission: The permission, e.g. "wiki.edit".
    /// - Returns: The access rule.
    public static func write(_ permission: String) -> Access {
        Access(permission: permission, needsIdentity: true, effect: .write)
    }

    /// A write by a caller who has no account but holds a credential the request carries, such as a
    /// survey invitation token bound to one sampled workplace. The host admits any caller and audits
    /// the call; the handler must verify the credential before anything changes and name what it
    /// was bound to as the audit target.
    public static let credentialInRequest = Access(permission: nil, needsIdentity: false, effect: .write, credentialInRequest: true)

    public var description: String {
        if credentialInRequest { return "write:credential-in-request" }
        let rule = switch (permission, needsIdentity) {
        case (nil, false): "open"
        case (nil, true): effect == .write ? "write:authenticated" : "authenticated"
        case let (permission?, _): "\(effect.rawValue):\(permission)"
        }
        guard effect == .read else { return rule }
        return auditsReads ? rule + " (audited)" : auditsTargetedReads ? rule + " (audited when targeted)" : rule
    }
}
