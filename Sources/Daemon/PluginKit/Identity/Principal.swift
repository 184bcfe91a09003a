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

    /// The fields, behind one reference: a request context is copied several times per call,
    /// and a principal with an account, a token id and grants would otherwise cost a retain and a
    /// release per field per copy, where an anonymous or root principal costs none.
    private final class Storage: Sendable {
        let credential: Credential
        let account: AccountRef?
        let actor: AccountRef?
        let isAdmin: Bool
        let grants: [Grant]
        let viaName: String?
        /// Computed once: it keys the rate limiter on every call.
        let caller: String

        init(credential: Credential, account: AccountRef?, actor: AccountRef?, isAdmin: Bool, grants: [Grant], viaName: String?) {
            self.credential = credential
            self.account = account
            self.actor = actor
            self.isAdmin = isAdmin
            self.grants = grants
            self.viaName = viaName
            self.caller = if let actor { "account:\(actor.id)" }
                else if let viaName { viaName }
                else if let account { "account:\(account.id)" }
                else {
                    switch credential {
                    case .none: "anonymous"
                    case let .unixUser(uid, name): "unix:uid=\(uid)(\(name))"
                    case let .token(id): "token:\(id)"
                    }
                }
        }

        func with(credential: Credential? = nil, account: AccountRef?? = nil, actor: AccountRef?? = nil, isAdmin: Bool? = nil,
                  grants: [Grant]? = nil, viaName: String?? = nil) -> Storage {
            Storage(credential: credential ?? self.credential, account: account ?? self.account, actor: actor ?? self.actor,
                    isAdmin: isAdmin ?? self.isAdmin, grants: grants ?? self.grants, viaName: viaName ?? self.viaName)
        }
    }

    private var storage: Storage

    /// How the caller authenticated.
    public var credential: Credential {
        get { storage.credential }
        set { storage = storage.with(credential: newValue) }
    }
    /// The named account the call is credited to; nil for anonymous callers and local admins
    /// without a linked account.
    public var account: AccountRef? {
        get { storage.account }
        set { storage = storage.with(account: .some(newValue)) }
    }
    /// The service account that acts for `account`, when `coi-act-as` was used.
    public var actor: AccountRef? {
        get { storage.actor }
        set { storage = storage.with(actor: .some(newValue)) }
    }
    /// Holds every permission everywhere.
    public var isAdmin: Bool {
        get { storage.isAdmin }
        set { storage = storage.with(isAdmin: newValue) }
    }
    /// Its role bindings, flattened.
    public var grants: [Grant] {
        get { storage.grants }
        set { storage = storage.with(grants: newValue) }
    }
    /// For act-as by a caller without an account (a local admin): its name.
    public var viaName: String? {
        get { storage.viaName }
        set { storage = storage.with(viaName: .some(newValue)) }
    }

    /// Creates a principal.
    /// - Parameters:
    ///   - credential: How the caller authenticated.
    ///   - account: The account credited.
    ///   - actor: The service acting for `account`, if any.
    ///   - isAdmin: Whether it holds every permission.
    ///   - grants: Its role bindings.
    public init(credential: Credential, account: AccountRef? = nil, actor: AccountRef? = nil, isAdmin: Bool = false, grants: [Grant] = []) {
        storage = Storage(credential: credential, account: account, actor: actor, isAdmin: isAdmin, grants: grants, viaName: nil)
    }

    public static func == (lhs: Principal, rhs: Principal) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.credential == rhs.credential && lhs.account == rhs.account && lhs.actor == rhs.actor
                && lhs.isAdmin == rhs.isAdmin && lhs.grants == rhs.grants && lhs.viaName == rhs.viaName)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(credential)
        hasher.combine(account)
        hasher.combine(actor)
        hasher.combine(isAdmin)
        hasher.combine(grants)
        hasher.combine(viaName)
    }

    /// A caller with no identity.
    public static let anonymous = Principal(credential: .none)

    /// The caller as a permission error names it: when a system acts for a person (`coi-act-as`),
    /// both, because the rights checked are the person's but the call came from the system.
    public var permissionSubject: String {
        guard let account, actor != nil || viaName != nil else { return caller }
        return "account:\(account.id) (acted for by \(caller))"
    }

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
    public var caller: String { storage.caller }

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
