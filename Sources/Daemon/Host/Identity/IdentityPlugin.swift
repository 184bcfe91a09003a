import COIPluginKit
import COIProto
import COIRPC
import GRDB

/// Accounts, tokens, roles and the audit log (id "coi.identity"). Always required: without it no
/// call could be credited to anyone.
struct IdentityPlugin: Plugin {
    let identity: Identity

    var id: String { "coi.identity" }
    var services: [RPCService] {
        [Coi_Identity_V1_Accounts.service, Coi_Identity_V1_Tokens.service, Coi_Identity_V1_Roles.service,
         Coi_Identity_V1_Audit.service]
    }
    var permissions: [PermissionDeclaration] { Self.declarations.permissions }
    var roles: [RoleDeclaration] { Self.declarations.roles }

    /// The plugin's declarations alone, for the role catalog, which exists before the plugin.
    static let declarations = Declarations()

    struct Declarations: Plugin {
        var id: String { "coi.identity" }
        var services: [RPCService] { [] }
        func start(context: PluginContext, router: inout Router) async throws {}
        var permissions: [PermissionDeclaration] {
        [PermissionDeclaration("identity.accounts.read", "See accounts (names, workplaces, roles)", grantedTo: ["moderator"]),
         PermissionDeclaration("identity.accounts.manage", "Create, change, suspend and resume accounts"),
         PermissionDeclaration("identity.accounts.personal-data", "Export or erase all data about a person"),
         PermissionDeclaration("identity.tokens.manage", "Issue, list and revoke bearer tokens"),
         PermissionDeclaration("identity.roles.manage", "Bind and unbind roles"),
         PermissionDeclaration("identity.audit.read", "Read and verify the audit log"),
         PermissionDeclaration("identity.act-as", "Act for a named person with coi-act-as (integrations)")]
    }
        var roles: [RoleDeclaration] {
        [RoleDeclaration("integration", "An integrating system that acts for the persons logged in to it",
                         permissions: ["identity.act-as"])]
        }
    }
    var migrations: [Migration] { Self.migrationList }
    /// Also known to `coid restore`, which checks a backup's schema before any plugin exists.
    static var migrationList: [Migration] { [.sql("001_identity", Self.schema)] }

    func start(context: PluginContext, router: inout Router) async throws {
        let missing = try await context.store.pool.write { db -> [String] in
            let present = try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'identity_audit'")
            try db.execute(sql: Self.appendOnlyTriggers)
            return ["identity_audit_no_update", "identity_audit_no_delete"].filter { !present.contains($0) }
        }
        if !missing.isEmpty {
            context.logger.warning("audit log triggers were missing and have been restored; run `coictl audit verify`",
                                   metadata: ["triggers": "\(missing.joined(separator: ","))"])
        }
        if try await identity.audit.startKeyedSegment() {
            context.logger.notice("audit log: a keyed segment starts here", metadata: ["key_id": "\(identity.audit.keyID)"])
        }
        registerAccounts(&router)
        registerTokens(&router)
        registerRoles(&router)
        registerAudit(&router)
    }

    static let schema = """
        CREATE TABLE identity_accounts (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('person', 'service')),
            full_name TEXT NOT NULL,
            email TEXT NOT NULL DEFAULT '',
            workplace TEXT NOT NULL DEFAULT '',
            municipality_code INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'erased')),
            os_user TEXT UNIQUE,
            erased_number INTEGER UNIQUE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            created_by TEXT NOT NULL
        );
        CREATE TABLE identity_tokens (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES identity_accounts(id),
            hash BLOB NOT NULL UNIQUE,
            description TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            expires_at TEXT,
            last_used_at TEXT,
            revoked_at TEXT
        );
        CREATE INDEX identity_tokens_account ON identity_tokens(account_id);
        CREATE TABLE identity_role_bindings (
            account_id TEXT NOT NULL REFERENCES identity_accounts(id),
            role TEXT NOT NULL,
            scope TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            PRIMARY KEY (account_id, role, scope)
        );
        CREATE TABLE identity_audit (
            sequence INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            principal TEXT NOT NULL,
            act_as TEXT NOT NULL DEFAULT '',
            method TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            outcome TEXT NOT NULL,
            request_id TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT '',
            hash TEXT NOT NULL
        );
        CREATE INDEX identity_audit_time ON identity_audit(time);
        CREATE INDEX identity_audit_principal ON identity_audit(principal, sequence);
        CREATE INDEX identity_audit_act_as ON identity_audit(act_as, sequence);
        """ + appendOnlyTriggers

    /// Append-only through SQL; the hash chain catches edits made around these triggers. Created
    /// again at every start, so a trigger dropped while coid was stopped does not stay dropped.
    static let appendOnlyTriggers = """
        CREATE TRIGGER IF NOT EXISTS identity_audit_no_update BEFORE UPDATE ON identity_audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS identity_audit_no_delete BEFORE DELETE ON identity_audit
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
}
