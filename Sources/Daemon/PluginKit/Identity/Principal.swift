/// Who is making a call, as the host established it before the handler runs.
///
/// Handlers credit writes to `account` (the named person) and check scoped permissions with
/// `can(_:in:)`. When an integrating system acts for a person (`coi-act-as`), `account` is the
/// person and `actor` the system; both are recorded in the audit log.
public struct Principal: Sendable, Hashable {
    /// How the caller proved who it is.
    public enum Credential: Sendable, Hashable {
        /// Nothing: an unknown local user, or no credentials at all.
        case none
        /// Unix peer credentials on the local socket.
        case unixUser(uid: UInt32, name: String)
        /// A bearer token (its id, never the secret).
        case token(id: String)
    }

    /// One role binding, flattened to the permissions it grants.
    public struct Grant: Sendable, Hashable {
        public var role: String
        /// Empty = everywhere; else e.g. "campaign:cmp_12".
        public var scope: String
        public var permissions: Set<String>
        public init(role: String, scope: String, permissions: Set<String>) {
            self.role = role
            self.scope = scope
            self.permissions = permissions
        }
    }

    public var credential: Credential
    /// The named account the call is credited to; nil for anonymous callers and local admins
    /// without a linked account.
    public var account: AccountRef?
    /// The service account that acts for `account`, when `coi-act-as` was used.
    public var actor: AccountRef?
    /// Holds every permission everywhere.
    public var isAdmin: Bool
    public var grants: [Grant]

    /// Creates a principal.
    /// - Parameters:
    ///   - credential: How the caller authenticated.
    ///   - account: The account credited.
    ///   - actor: The service acting for `account`, if any.
    ///   - isAdmin: Whether it holds every permission.
    ///   - grants: Its role bindings.
    public init(credential: Credential, account: AccountRef? = nil, actor: AccountRef? = nil, isAdmin: Bool = false, grants: [Grant] = []) {
        self.credential = credential
        self.account = account
        self.actor = actor
        self.isAdmin = isAdmin
        self.grants = grants
    }

    /// A caller with no identity.
    public static let anonymous = Principal(credential: .none)

    /// Whether the caller is identified at all (an account, or a local user the host knows).
    public var isIdentified: Bool { account != nil || isAdmin }

    /// Whether the caller holds `permission` in some scope (the check made before a handler runs).
    /// - Parameter permission: The permission.
    /// - Returns: True if any grant includes it.
    public func holds(_ permission: String) -> Bool {
        isAdmin || grants.contains { $0.permissions.contains(permission) }
    }

    /// Whether the caller holds `permission` everywhere or in `scope`.
    /// - Parameters:
    ///   - permission: The permission.
    ///   - scope: The object the call is about, e.g. "campaign:cmp_12".
    /// - Returns: True if a global grant or one for `scope` includes it.
    public func can(_ permission: String, in scope: String) -> Bool {
        isAdmin || grants.contains { ($0.scope.isEmpty || $0.scope == scope) && $0.permissions.contains(permission) }
    }

    /// The caller as written in the audit log and in logs: "account:acc_…", "unix:uid=0(root)",
    /// "token:tok_…", "anonymous". For act-as calls this is the acting system, and `account` (the
    /// person) is recorded beside it.
    public var caller: String {
        if let actor { return "account:\(actor.id)" }
        if let viaName { return viaName }
        if let account { return "account:\(account.id)" }
        switch credential {
        case .none: return "anonymous"
        case let .unixUser(uid, name): return "unix:uid=\(uid)(\(name))"
        case let .token(id): return "token:\(id)"
        }
    }

    /// For act-as by a caller without an account (a local admin): its name.
    public var viaName: String?

    /// The account a call acts for, when `coi-act-as` was used.
    public var actingFor: String? { (actor != nil || viaName != nil) ? account?.id : nil }
}

/// An account as handlers see it: enough to credit a contribution.
public struct AccountRef: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case person
        case service
    }
    public var id: String
    public var kind: Kind
    /// The name contributions are credited to ("former contributor N" once erased).
    public var displayName: String

    /// Creates a reference.
    /// - Parameters:
    ///   - id: The account id.
    ///   - kind: Person or service.
    ///   - displayName: The name to credit.
    public init(id: String, kind: Kind, displayName: String) {
        self.id = id
        self.kind = kind
        self.displayName = displayName
    }
}
