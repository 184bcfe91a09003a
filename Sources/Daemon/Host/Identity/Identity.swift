import COIPluginKit
import COIWire
import Crypto
import Foundation
import GRDB
import Synchronization

/// Establishes who calls (peer credentials, bearer tokens, act-as), decides whether they may, and
/// records writes in the audit log. Shared by the server's call path and the identity plugin.
///
/// Lookups are cached in memory and the whole cache is dropped on every identity write made through
/// this process, so a revoked token or a suspended account fails on its very next call while the
/// common call costs one SHA-256 and a dictionary lookup.
final class Identity: Sendable {
    let store: Store
    let catalog: RoleCatalog
    let audit: AuditLog
    let limiter: RateLimiter
    /// Failed authentication and refused permissions: counted, and logged within a rate.
    let securityEvents: SecurityEvents
    /// "Now" for token expiry and issue times; tests pass a clock they move.
    let clock: any WallClock
    /// Services of plugins whose config sets `anonymous_read = true`.
    let anonymousReadServices: Set<String>
    /// The permissions the plugins grant every member: all that `anonymous_read` can open.
    let memberPermissions: Set<String>
    /// Registered plugins that hold personal data, by id, for export and erasure.
    let personalDataHolders: [(id: String, holder: any PersonalDataHolder)]
    /// Ids of the plugins that started; set once the plugin host has run.
    let runningPlugins = Mutex<Set<String>>([])
    private let settings: Mutex<IdentitySettings>
    private let cache = Mutex(Cache())

    private struct Cache {
        var generation: UInt64 = 0
        var tokens: [SHA256Digest: CachedToken] = [:]
        var unix: [UInt32: Principal] = [:]
    }

    private struct CachedToken {
        var id: String
        var expiresAt: Date?
        var lastUsedWritten: Date?
        var principal: Principal
    }

    /// Creates the identity layer.
    /// - Parameters:
    ///   - store: The database (identity tables are created by the plugin's migrations).
    ///   - plugins: Every registered plugin, for roles and permissions.
    ///   - settings: The identity section of the config.
    ///   - anonymousReadServices: Services readable without identity.
    ///   - auditKey: The audit chain's key (`AuditKey`); a fresh random one when not given (tests).
    init(store: Store, plugins: [any Plugin], settings: IdentitySettings, anonymousReadServices: Set<String>,
         clock: any WallClock = SystemWallClock(), auditKey: SymmetricKey = SymmetricKey(size: .bits256)) {
        self.store = store
        self.clock = clock
        self.catalog = RoleCatalog(plugins: plugins)
        self.audit = AuditLog(store: store, key: auditKey)
        self.limiter = RateLimiter(rate: settings.ratePerSecond, burst: settings.rateBurst)
        self.securityEvents = SecurityEvents(settings: settings, factory: store.metrics)
        self.anonymousReadServices = anonymousReadServices
        self.memberPermissions = catalog.roles["member"]?.permissions ?? []
        self.personalDataHolders = plugins.compactMap { plugin in (plugin as? any PersonalDataHolder).map { (plugin.id, $0) } }
        self.settings = Mutex(settings)
    }

    /// Records which plugins run, so personal-data export and erasure ask exactly those.
    /// - Parameter plugins: The plugins the host started.
    func adopt(running plugins: [any Plugin]) {
        runningPlugins.withLock { $0 = Set(plugins.map(\.id)) }
    }

    /// Applies reloaded settings.
    func reconfigure(_ fresh: IdentitySettings) {
        settings.withLock { $0 = fresh }
        limiter.configure(rate: fresh.ratePerSecond, burst: fresh.rateBurst)
        securityEvents.configure(fresh)
        invalidate()
    }

    /// Drops every cached lookup; called after each identity write.
    func invalidate() {
        cache.withLock { cache in
            cache = Cache(generation: cache.generation &+ 1)
        }
    }

    // MARK: Authentication

    /// Who is calling.
    /// - Parameters:
    ///   - context: The call.
    ///   - authorization: Its `authorization` metadata, if sent.
    /// - Returns: The principal (possibly anonymous).
    /// - Throws: UNAUTHENTICATED for a bad token, a suspended account, a missing token where one is
    ///   required; PERMISSION_DENIED for act-as without the permission.
    func authenticate(_ context: RequestContext, authorization: String? = nil) async throws -> Principal {
        var principal: Principal
        if let header = authorization {
            principal = try await tokenPrincipal(header)
        } else if let peer = context.peer {
            principal = try await unixPrincipal(peer)
        } else {
            throw RPCError(.unauthenticated, "this listener requires a bearer token: send metadata \"authorization: Bearer <token>\"",
                           reason: "TOKEN_REQUIRED")
        }
        if let target = context.metadata("coi-act-as") {
            principal = try await actAs(principal, target)
        }
        return principal
    }

    /// Whether `header` starts with "Bearer " in any case. Compared on bytes: `String.hasPrefix`
    /// compares by Unicode canonical equivalence, which is slow and not what an HTTP-style scheme means.
    static func hasBearerScheme(_ header: String) -> Bool {
        var bytes = header.utf8.makeIterator()
        for expected in "bearer ".utf8 {
            guard let byte = bytes.next() else { return false }
            // ASCII letters fold to lower case by setting bit 0x20; the space matches only itself.
            guard byte == expected || (expected != 0x20 && byte | 0x20 == expected) else { return false }
        }
        return true
    }

    /// The stored form of a token: its SHA-256.
    static func hash(secret: String) -> SHA256Digest { hash(header: secret, from: 0) }

    /// Hashes the bytes of `header` from byte `offset` on, in place: no copy of the secret and no
    /// generic code on the hot path.
    static func hash(header: String, from offset: Int) -> SHA256Digest {
        var header = header
        return header.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[offset...]))) }
    }

    private func tokenPrincipal(_ header: String) async throws -> Principal {
        // "Bearer " in any case, then the token; checked on bytes because it runs on every call.
        guard header.utf8.count > 7, Self.hasBearerScheme(header) else {
            throw RPCError(.unauthenticated, "metadata authorization must be \"Bearer <token>\"", reason: "BAD_AUTHORIZATION")
        }
        let hash = Self.hash(header: header, from: 7)
        let now = clock.now()
        let (cached, generation) = cache.withLock { ($0.tokens[hash], $0.generation) }
        if var cached {
            if let expiresAt = cached.expiresAt, expiresAt <= now {
                throw RPCError(.unauthenticated, "token \(cached.id) expired", reason: "TOKEN_EXPIRED")
            }
            if cached.lastUsedWritten.map({ now.timeIntervalSince($0) > 60 }) ?? true {
                cached.lastUsedWritten = now
                let id = cached.id
                try await store.pool.write { db in
                    try db.execute(sql: "UPDATE identity_tokens SET last_used_at = ? WHERE id = ?", arguments: [Timestamp.string(now), id])
                }
                cache.withLock { if $0.generation == generation { $0.tokens[hash] = cached } }
            }
            return cached.principal
        }
        struct Loaded: Sendable {
            var id: String
            var accountID: String
            var expiresAt: String?
            var revoked: Bool
        }
        let loaded = try await store.pool.read { db -> Loaded? in
            try Row.fetchOne(db, sql: "SELECT id, account_id, expires_at, revoked_at FROM identity_tokens WHERE hash = ?", arguments: [Data(hash)])
                .map { Loaded(id: $0["id"], accountID: $0["account_id"], expiresAt: $0["expires_at"], revoked: ($0["revoked_at"] as String?) != nil) }
        }
        guard let loaded else {
            throw RPCError(.unauthenticated, "unknown token", reason: "TOKEN_UNKNOWN")
        }
        let id = loaded.id
        if loaded.revoked {
            throw RPCError(.unauthenticated, "token \(id) was revoked", reason: "TOKEN_REVOKED")
        }
        let expiresAt = loaded.expiresAt.flatMap(Timestamp.parse)
        if let expiresAt, expiresAt <= now {
            throw RPCError(.unauthenticated, "token \(id) expired", reason: "TOKEN_EXPIRED")
        }
        let principal = try await store.pool.read { db in
            try self.accountPrincipal(db, accountID: loaded.accountID, credential: .token(id: id))
        }
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE identity_tokens SET last_used_at = ? WHERE id = ?", arguments: [Timestamp.string(now), id])
        }
        let entry = CachedToken(id: id, expiresAt: expiresAt, lastUsedWritten: now, principal: principal)
        cache.withLock { if $0.generation == generation { $0.tokens[hash] = entry } }
        return principal
    }

    private func unixPrincipal(_ peer: PeerCredentials) async throws -> Principal {
        let (cached, generation) = cache.withLock { ($0.unix[peer.uid], $0.generation) }
        if let cached { return cached }
        let name = UnixUsers.name(of: peer.uid)
        let adminGroup = settings.withLock { $0.adminGroup }
        let isAdmin = peer.uid == 0 || UnixUsers.isMember(name, primaryGID: peer.gid, of: adminGroup)
        let credential = Principal.Credential.unixUser(uid: peer.uid, name: name)
        var principal = try await store.pool.read { db -> Principal in
            guard let linked = try Row.fetchOne(db, sql: "SELECT id, status FROM identity_accounts WHERE os_user = ?", arguments: [name]) else {
                return Principal(credential: credential)
            }
            let accountID: String = linked["id"]
            let status: String = linked["status"]
            guard status == "active" else {
                // A local admin still administers the machine; anyone else is told why they are
                // turned away instead of silently becoming anonymous.
                if isAdmin { return Principal(credential: credential) }
                throw RPCError(.unauthenticated, "account \(accountID) of Unix user \(name) is \(status)",
                               reason: "ACCOUNT_\(status.uppercased())")
            }
            return try self.accountPrincipal(db, accountID: accountID, credential: credential)
        }
        principal.isAdmin = principal.isAdmin || isAdmin
        cache.withLock { if $0.generation == generation { $0.unix[peer.uid] = principal } }
        return principal
    }

    /// The principal of an active account: its bindings as grants, plus "member" for persons.
    private func accountPrincipal(_ db: Database, accountID: String, credential: Principal.Credential) throws -> Principal {
        guard let account = try AccountRecord.fetch(db, id: accountID) else {
            throw RPCError(.unauthenticated, "the account of this credential no longer exists", reason: "ACCOUNT_UNKNOWN")
        }
        guard account.status == "active" else {
            throw RPCError(.unauthenticated, "account \(account.id) is \(account.status)", reason: "ACCOUNT_\(account.status.uppercased())")
        }
        let bindings = try BindingRecord.all(db, accountID: accountID)
        var grants = bindings.compactMap { catalog.grant(role: $0.role, scope: $0.scope) }
        if account.kind == .person, let member = catalog.grant(role: "member", scope: "") { grants.append(member) }
        let isAdmin = bindings.contains { $0.role == "admin" && $0.scope.isEmpty }
        return Principal(credential: credential, account: account.ref, isAdmin: isAdmin, grants: grants)
    }

    private func actAs(_ caller: Principal, _ target: String) async throws -> Principal {
        guard caller.isIdentified else {
            throw RPCError(.unauthenticated, "coi-act-as needs an authenticated caller", reason: "UNAUTHENTICATED")
        }
        guard caller.holds("identity.act-as") else {
            throw RPCError(.permissionDenied, "\(caller.caller) may not act for others (permission identity.act-as)", reason: "PERMISSION_DENIED")
        }
        var person = try await store.pool.read { db -> Principal in
            guard let account = try AccountRecord.fetch(db, id: target), account.kind == .person else {
                throw RPCError(.permissionDenied, "coi-act-as names \(target), which is not a person's account", reason: "ACT_AS_INVALID",
                               fieldViolations: [.init(field: "metadata.coi-act-as", description: "no such person")])
            }
            guard account.status == "active" else {
                throw RPCError(.permissionDenied, "coi-act-as names \(target), whose account is \(account.status)", reason: "ACT_AS_INVALID",
                               fieldViolations: [.init(field: "metadata.coi-act-as", description: "account is \(account.status)")])
            }
            return try self.accountPrincipal(db, accountID: target, credential: caller.credential)
        }
        // The system acts with the person's rights only, never its own or an admin's.
        person.isAdmin = false
        person.actor = caller.account
        person.viaName = caller.account == nil ? caller.caller : nil
        return person
    }

    // MARK: Authorisation

    /// Checks a route's access rule against the caller.
    /// - Parameters:
    ///   - route: The method called.
    ///   - principal: The caller.
    /// - Throws: UNAUTHENTICATED or PERMISSION_DENIED naming the method and permission.
    func authorize(_ route: MethodRoute, _ principal: Principal) throws(RPCError) {
        let access = route.access
        guard access.needsIdentity else { return }
        // `anonymous_read` lets anyone read what the plugin lets every member read: never what
        // needs more (exports, jurors, moderation queues), nor reads that disclose personal data.
        if access.effect == .read, !access.auditsReads, anonymousReadServices.contains(route.service),
           access.permission.map(memberPermissions.contains) ?? true { return }
        guard principal.isIdentified else {
            throw RPCError(.unauthenticated, "\(route.path) needs an identity: link your OS user to an account or send a bearer token",
                           reason: "UNAUTHENTICATED")
        }
        if let permission = access.permission, !principal.holds(permission) {
            throw RPCError(.permissionDenied, "\(principal.permissionSubject) lacks permission \(permission) for \(route.path)",
                           reason: "PERMISSION_DENIED")
        }
    }
}
