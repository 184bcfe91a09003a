import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB

extension IdentityPlugin {

    func registerAccounts(_ router: inout Router) {
        let identity = self.identity
        router.unary(Coi_Identity_V1_Accounts.Method.create, .write("identity.accounts.manage")) { (request: Coi_Identity_V1_CreateAccountRequest, context) -> Coi_Identity_V1_Account in
            let kind: AccountRef.Kind = switch request.kind {
            case .person: .person
            case .service: .service
            default: throw RPCError.invalidField("kind", "must be PERSON or SERVICE")
            }
            let fields = try AccountFields(fullName: request.fullName, email: request.email, workplace: request.workplace,
                                           municipalityCode: request.municipalityCode, osUser: request.osUser)
            try fields.checkUnixUserExists()
            var qualified = request
            for (index, role) in request.roles.enumerated() {
                guard let name = identity.catalog.resolve(role) else {
                    throw RPCError.invalidField("roles[\(index)]", identity.catalog.unknown(role))
                }
                qualified.roles[index] = name
            }
            let request = qualified
            let id = Identifier.make("acc")
            let now = Timestamp.now()
            let caller = context.principal.caller
            let account = try await identity.store.pool.write { db -> Coi_Identity_V1_Account in
                try fields.checkUnique(db, excluding: nil)
                try db.execute(sql: """
                    INSERT INTO identity_accounts (id, kind, full_name, email, workplace, municipality_code, status, os_user,
                                                   created_at, updated_at, created_by)
                    VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)
                    """, arguments: [id, kind.rawValue, fields.fullName, fields.email, fields.workplace, fields.municipalityCode,
                                     fields.osUser, now, now, caller])
                for role in Set(request.roles) {
                    try db.execute(sql: "INSERT INTO identity_role_bindings (account_id, role, scope, created_at, created_by) VALUES (?, ?, '', ?, ?)",
                                   arguments: [id, role, now, caller])
                }
                return try Self.accountMessage(db, id: id)
            }
            context.audit.target = "account:\(id)"
            identity.invalidate()
            return account
        }
        router.unary(Coi_Identity_V1_Accounts.Method.get, .read("identity.accounts.read")) { (request: Coi_Identity_V1_GetAccountRequest, _) -> Coi_Identity_V1_Account in
            try await identity.store.pool.read { db in try Self.accountMessage(db, id: request.id) }
        }
        router.unary(Coi_Identity_V1_Accounts.Method.list, .read("identity.accounts.read")) { (request: Coi_Identity_V1_ListAccountsRequest, _) -> Coi_Identity_V1_ListAccountsReply in
            try await Self.listAccounts(request, store: identity.store)
        }
        router.unary(Coi_Identity_V1_Accounts.Method.update, .write("identity.accounts.manage")) { (request: Coi_Identity_V1_UpdateAccountRequest, context) -> Coi_Identity_V1_Account in
            let known = ["full_name", "email", "workplace", "municipality_code", "os_user"]
            guard !request.updateMask.isEmpty else { throw RPCError.invalidField("update_mask", "name at least one field to change") }
            for (index, field) in request.updateMask.enumerated() where !known.contains(field) {
                throw RPCError.invalidField("update_mask[\(index)]", "\"\(field)\" cannot be changed; use one of \(known.joined(separator: ", "))")
            }
            context.audit.target = "account:\(request.id)"
            let account = try await identity.store.pool.write { db -> Coi_Identity_V1_Account in
                let current = try AccountRecord.require(db, id: request.id)
                guard current.status != "erased" else {
                    throw RPCError(.failedPrecondition, "account \(current.id) is erased and cannot change", reason: "ACCOUNT_ERASED")
                }
                let mask = Set(request.updateMask)
                let fields = try AccountFields(
                    fullName: mask.contains("full_name") ? request.fullName : current.fullName,
                    email: mask.contains("email") ? request.email : current.email,
                    workplace: mask.contains("workplace") ? request.workplace : current.workplace,
                    municipalityCode: mask.contains("municipality_code") ? request.municipalityCode : Int32(current.municipalityCode),
                    osUser: mask.contains("os_user") ? request.osUser : (current.osUser ?? ""))
                try fields.checkUnique(db, excluding: current.id)
                // Only a newly linked user is looked up: one removed from the machine since does
                // not block changing the account's e-mail.
                if fields.osUser != current.osUser { try fields.checkUnixUserExists() }
                try db.execute(sql: """
                    UPDATE identity_accounts SET full_name = ?, email = ?, workplace = ?, municipality_code = ?, os_user = ?, updated_at = ?
                    WHERE id = ?
                    """, arguments: [fields.fullName, fields.email, fields.workplace, fields.municipalityCode, fields.osUser,
                                     Timestamp.now(), current.id])
                return try Self.accountMessage(db, id: current.id)
            }
            identity.invalidate()
            return account
        }
        router.unary(Coi_Identity_V1_Accounts.Method.setStatus, .write("identity.accounts.manage")) { (request: Coi_Identity_V1_SetAccountStatusRequest, context) -> Coi_Identity_V1_Account in
            let status: String = switch request.status {
            case .active: "active"
            case .suspended: "suspended"
            default: throw RPCError.invalidField("status", "must be ACTIVE or SUSPENDED (use Erase to erase)")
            }
            context.audit.target = "account:\(request.id)"
            context.audit.reason = try TextRules.line(request.reason, field: "reason")
            let account = try await identity.store.pool.write { db -> Coi_Identity_V1_Account in
                let current = try AccountRecord.require(db, id: request.id)
                guard current.status != "erased" else {
                    throw RPCError(.failedPrecondition, "account \(current.id) is erased and cannot change", reason: "ACCOUNT_ERASED")
                }
                try db.execute(sql: "UPDATE identity_accounts SET status = ?, updated_at = ? WHERE id = ?",
                               arguments: [status, Timestamp.now(), current.id])
                return try Self.accountMessage(db, id: current.id)
            }
            identity.invalidate()
            return account
        }
        // Right of access is self-service: one's own data needs no permission (empty id = own).
        // Audited: whoever takes a person's data, the person included, is on record.
        router.unary(Coi_Identity_V1_Accounts.Method.export, .authenticated.audited()) { (request: Coi_Identity_V1_ExportAccountRequest, context) -> Coi_Identity_V1_ExportAccountReply in
            var id = request.id
            if !context.principal.holds("identity.accounts.personal-data") {
                if id.isEmpty { id = try context.requireAccount().id }
                try Self.requireOwn(id, context, permission: "identity.accounts.personal-data", what: "personal data")
            }
            guard !id.isEmpty else { throw RPCError.invalidField("id", "is required (the caller has no account of its own)") }
            context.audit.target = "account:\(id)"
            let target = id
            let json = try await identity.store.pool.read { db in try PersonalData.export(db, accountID: target, holders: identity.personalDataHolders(db)) }
            return .with { $0.json = json }
        }
        router.unary(Coi_Identity_V1_Accounts.Method.erase, .write("identity.accounts.personal-data")) { (request: Coi_Identity_V1_EraseAccountRequest, context) -> Coi_Identity_V1_Account in
            context.audit.target = "account:\(request.id)"
            context.audit.reason = try TextRules.line(request.reason, field: "reason")
            let account = try await identity.store.pool.write { db -> Coi_Identity_V1_Account in
                try PersonalData.erase(db, accountID: request.id, holders: identity.personalDataHolders(db))
                return try Self.accountMessage(db, id: request.id)
            }
            identity.invalidate()
            return account
        }
        router.unary(Coi_Identity_V1_Accounts.Method.whoAmI, .open) { (_: Coi_Identity_V1_WhoAmIRequest, context) -> Coi_Identity_V1_WhoAmIReply in
            let principal = context.principal
            var reply = Coi_Identity_V1_WhoAmIReply()
            reply.principal = principal.caller
            reply.admin = principal.isAdmin
            reply.actingFor = principal.actingFor ?? ""
            reply.transport = context.peer == nil ? "tls" : "unix"
            reply.permissions = principal.isAdmin ? ["*"] : Array(Set(principal.grants.flatMap(\.permissions))).sorted()
            if let account = principal.account {
                reply.account = try await identity.store.pool.read { db in try Self.accountMessage(db, id: account.id) }
            }
            return reply
        }
    }

    /// An account with its role bindings.
    static func accountMessage(_ db: Database, id: String) throws -> Coi_Identity_V1_Account {
        var message = try AccountRecord.require(db, id: id).message
        message.roles = try BindingRecord.all(db, accountID: id).map(\.message)
        return message
    }

    /// The longest account query: far beyond any name, far below SQLite's LIKE pattern limit.
    static let maxQueryLength = 200

    static func listAccounts(_ request: Coi_Identity_V1_ListAccountsRequest, store: Store) async throws -> Coi_Identity_V1_ListAccountsReply {
        let size = try PageToken.size(request.pageSize)
        let after = try PageToken.decode(request.pageToken) ?? 0
        var conditions = ["rowid > ?"]
        var arguments: StatementArguments = [after]
        switch request.kind {
        case .person, .service:
            conditions.append("kind = ?")
            _ = arguments.append(contentsOf: [request.kind == .person ? "person" : "service"])
        case .unspecified: break
        case .UNRECOGNIZED: throw RPCError.invalidField("kind", "unknown kind \(request.kind.rawValue)")
        }
        switch request.status {
        case .active, .suspended, .erased:
            conditions.append("status = ?")
            _ = arguments.append(contentsOf: [request.status == .active ? "active" : request.status == .suspended ? "suspended" : "erased"])
        case .unspecified: break
        case .UNRECOGNIZED: throw RPCError.invalidField("status", "unknown status \(request.status.rawValue)")
        }
        if !request.query.isEmpty {
            // SQLite refuses LIKE patterns over 50,000 bytes as "too complex" (INTERNAL to the caller);
            // nobody searches for a name that long.
            guard request.query.count <= Self.maxQueryLength else {
                throw RPCError.invalidField("query", "must be at most \(Self.maxQueryLength) characters, is \(request.query.count)")
            }
            // Names compare folded the Danish way (the kit's `DanishFolding`, as `coi_fold` in SQL), so
            // "SØRENSEN", "soerensen" and "sorensen" find "Søren Sørensen"; e-mails as typed, any case.
            let pattern = "%" + request.query.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            if let folded = DanishFolding.containsPattern(request.query) {
                conditions.append("(coi_fold(full_name) LIKE ? OR email LIKE ? ESCAPE '\\')")
                _ = arguments.append(contentsOf: [folded, pattern])
            } else {
                conditions.append("(full_name LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')")
                _ = arguments.append(contentsOf: [pattern, pattern])
            }
        }
        _ = arguments.append(contentsOf: [size + 1])
        let sql = "SELECT \(AccountRecord.columns) FROM identity_accounts WHERE \(conditions.joined(separator: " AND ")) ORDER BY rowid LIMIT ?"
        let values = arguments
        return try await store.pool.read { db in
            let rows = try AccountRecord.fetchAll(db, sql: sql, arguments: values)
            var reply = Coi_Identity_V1_ListAccountsReply()
            for record in rows.prefix(size) {
                var message = record.message
                message.roles = try BindingRecord.all(db, accountID: record.id).map(\.message)
                reply.accounts.append(message)
            }
            if rows.count > size, let last = rows.prefix(size).last { reply.nextPageToken = PageToken.encode(last.rowid) }
            return reply
        }
    }
}

/// Validated account fields.
struct AccountFields {
    var fullName: String
    var email: String
    var workplace: String
    var municipalityCode: Int
    var osUser: String?

    init(fullName: String, email: String, workplace: String, municipalityCode: Int32, osUser: String) throws {
        self.fullName = try TextRules.name(fullName.trimmingCharacters(in: .whitespacesAndNewlines), field: "full_name")
        guard !self.fullName.isEmpty else {
            throw RPCError.invalidField("full_name", "is required: nobody contributes anonymously")
        }
        guard self.fullName.count <= 200 else { throw RPCError.invalidField("full_name", "must be at most 200 characters") }
        self.email = try TextRules.line(email.trimmingCharacters(in: .whitespaces), field: "email")
        if !self.email.isEmpty {
            let parts = self.email.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !self.email.contains(where: \.isWhitespace),
                  self.email.count <= 254 else {
                throw RPCError.invalidField("email", "\"\(email)\" is not an e-mail address")
            }
        }
        self.workplace = try TextRules.name(workplace.trimmingCharacters(in: .whitespacesAndNewlines), field: "workplace")
        guard self.workplace.count <= 200 else { throw RPCError.invalidField("workplace", "must be at most 200 characters") }
        if municipalityCode != 0 && Denmark.municipality(code: Int(municipalityCode)) == nil {
            throw RPCError.invalidField("municipality_code", "\(municipalityCode) is not one of the 98 official municipality codes")
        }
        self.municipalityCode = Int(municipalityCode)
        if osUser.isEmpty {
            self.osUser = nil
        } else {
            guard osUser.count <= 32, let first = osUser.unicodeScalars.first, first == "_" || ("a"..."z").contains(first),
                  osUser.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0) }) else {
                throw RPCError.invalidField("os_user", "\"\(osUser)\" is not a Unix user name (lower-case letters, digits, _ - .)")
            }
            self.osUser = osUser
        }
    }

    /// INVALID_ARGUMENT when `os_user` names no user on this machine: the link could never match.
    func checkUnixUserExists() throws {
        guard let osUser, !UnixUsers.exists(osUser) else { return }
        throw RPCError.invalidField("os_user", "there is no Unix user \"\(osUser)\" on this machine")
    }

    /// ALREADY_EXISTS when another account is linked to the same OS user.
    func checkUnique(_ db: Database, excluding id: String?) throws {
        guard let osUser else { return }
        if let other = try String.fetchOne(db, sql: "SELECT id FROM identity_accounts WHERE os_user = ? AND id IS NOT ?",
                                           arguments: [osUser, id]) {
            throw RPCError(.alreadyExists, "OS user \(osUser) is already linked to account \(other)", reason: "ALREADY_EXISTS",
                           fieldViolations: [.init(field: "os_user", description: "already linked to \(other)")])
        }
    }
}
