import COIPluginKit
import COIProto
import COIWire
import GRDB

extension IdentityPlugin {

    func registerRoles(_ router: inout Router) {
        let identity = self.identity
        router.unary(Coi_Identity_V1_Roles.Method.list, .authenticated) { (_: Coi_Identity_V1_ListRolesRequest, _) -> Coi_Identity_V1_ListRolesReply in
            .with {
                $0.roles = identity.catalog.roles.values.sorted { $0.name < $1.name }.map { role in
                    Coi_Identity_V1_Role.with {
                        $0.name = role.name
                        $0.description_p = role.summary
                        $0.declaredBy = role.declaredBy
                        $0.permissions = role.name == "admin" ? ["*"] : role.permissions.sorted()
                    }
                }
            }
        }
        router.unary(Coi_Identity_V1_Roles.Method.bind, .write("identity.roles.manage")) { (request: Coi_Identity_V1_BindRoleRequest, context) -> Coi_Identity_V1_RoleBinding in
            var qualified = request
            qualified.role = try Self.validateBinding(role: request.role, scope: request.scope, catalog: identity.catalog)
            let request = qualified
            context.audit.target = "account:\(request.accountID)"
            let caller = context.principal.caller
            let binding = try await identity.store.pool.write { db -> Coi_Identity_V1_RoleBinding in
                let account = try AccountRecord.require(db, id: request.accountID, field: "account_id")
                guard account.status != "erased" else {
                    throw RPCError(.failedPrecondition, "account \(account.id) is erased", reason: "ACCOUNT_ERASED")
                }
                try Self.checkScopeExists(db, scope: request.scope, catalog: identity.catalog)
                let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM identity_role_bindings WHERE account_id = ? AND role = ? AND scope = ?",
                                               arguments: [account.id, request.role, request.scope]) ?? false
                if exists {
                    throw RPCError(.alreadyExists, "\(account.id) already has role \(request.role)\(request.scope.isEmpty ? "" : " in \(request.scope)")",
                                   reason: "ALREADY_EXISTS")
                }
                try db.execute(sql: "INSERT INTO identity_role_bindings (account_id, role, scope, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                               arguments: [account.id, request.role, request.scope, Timestamp.now(), caller])
                return try BindingRecord.all(db, accountID: account.id).first { $0.role == request.role && $0.scope == request.scope }!.message
            }
            identity.invalidate()
            return binding
        }
        router.unary(Coi_Identity_V1_Roles.Method.unbind, .write("identity.roles.manage")) { (request: Coi_Identity_V1_UnbindRoleRequest, context) -> Coi_Identity_V1_UnbindRoleReply in
            guard !request.accountID.isEmpty else { throw RPCError.invalidField("account_id", "is required") }
            guard !request.role.isEmpty else { throw RPCError.invalidField("role", "is required") }
            context.audit.target = "account:\(request.accountID)"
            // Bindings made before roles were qualified store the plain name: remove either form.
            let names = Array(Set([request.role] + [identity.catalog.resolve(request.role)].compactMap { $0 }))
            try await identity.store.pool.write { db in
                try db.execute(sql: "DELETE FROM identity_role_bindings WHERE account_id = ? AND role IN (\(names.map { _ in "?" }.joined(separator: ", "))) AND scope = ?",
                               arguments: StatementArguments([request.accountID] + names + [request.scope]))
                if db.changesCount == 0 {
                    throw RPCError(.notFound, "\(request.accountID) has no role \(request.role)\(request.scope.isEmpty ? "" : " in \(request.scope)")",
                                   reason: "NOT_FOUND")
                }
            }
            identity.invalidate()
            return Coi_Identity_V1_UnbindRoleReply()
        }
    }

    /// INVALID_ARGUMENT when a scope names a kind no plugin declares or a record that does not
    /// exist: a binding to "campaign:cmp_typo" would grant nothing and look as if it did.
    static func checkScopeExists(_ db: Database, scope: String, catalog: RoleCatalog) throws {
        guard !scope.isEmpty else { return }
        let parts = scope.split(separator: ":", maxSplits: 1).map(String.init)
        guard let kind = catalog.scopeKinds[parts[0]] else {
            let known = catalog.scopeKinds.keys.sorted().joined(separator: ", ")
            throw RPCError.invalidField("scope", "unknown scope kind \"\(parts[0])\"; use one of \(known.isEmpty ? "(none)" : known)")
        }
        // The plugin owning the kind may be switched off, its table then absent.
        guard try db.tableExists(kind.table),
              try Bool.fetchOne(db, sql: "SELECT 1 FROM \(kind.table) WHERE \(kind.column) = ?", arguments: [parts[1]]) ?? false else {
            throw RPCError.invalidField("scope", "there is no \(kind.name) \"\(parts[1])\"")
        }
    }

    /// Checks a binding and returns the role's qualified name, which is what gets stored.
    static func validateBinding(role: String, scope: String, catalog: RoleCatalog) throws -> String {
        guard !role.isEmpty else { throw RPCError.invalidField("role", "is required") }
        guard let role = catalog.resolve(role) else {
            throw RPCError.invalidField("role", catalog.unknown(role))
        }
        if !scope.isEmpty {
            if RoleCatalog.builtIn.contains(role) {
                throw RPCError.invalidField("scope", "the built-in role \(role) is bound everywhere; leave scope empty")
            }
            let parts = scope.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, scope.count <= 200, !scope.contains(where: \.isWhitespace) else {
                throw RPCError.invalidField("scope", "must look like \"kind:id\", e.g. \"campaign:cmp_12\"")
            }
        }
        return role
    }
}
