import COIPluginKit
import COIProto
import COIWire
import GRDB

/// One row of identity_accounts.
struct AccountRecord: Sendable, FetchableRecord {
    var rowid: Int64
    var id: String
    var kind: AccountRef.Kind
    var fullName: String
    var email: String
    var workplace: String
    var municipalityCode: Int
    var status: String
    var osUser: String?
    var createdAt: String
    var updatedAt: String
    var createdBy: String

    static let columns = "rowid, id, kind, full_name, email, workplace, municipality_code, status, os_user, created_at, updated_at, created_by"

    init(row: Row) throws {
        rowid = row["rowid"]
        id = row["id"]
        kind = AccountRef.Kind(rawValue: row["kind"]) ?? .person
        fullName = row["full_name"]
        email = row["email"]
        workplace = row["workplace"]
        municipalityCode = row["municipality_code"]
        status = row["status"]
        osUser = row["os_user"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        createdBy = row["created_by"]
    }

    static func fetch(_ db: Database, id: String) throws -> AccountRecord? {
        try AccountRecord.fetchOne(db, sql: "SELECT \(columns) FROM identity_accounts WHERE id = ?", arguments: [id])
    }

    /// Fetches an account or fails with NOT_FOUND naming the field.
    static func require(_ db: Database, id: String, field: String = "id") throws -> AccountRecord {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let account = try fetch(db, id: id) else {
            throw RPCError(.notFound, "no account \(id)", reason: "NOT_FOUND",
                           fieldViolations: [.init(field: field, description: "no such account")])
        }
        return account
    }

    var ref: AccountRef { AccountRef(id: id, kind: kind, displayName: fullName) }

    var message: Coi_Identity_V1_Account {
        .with {
            $0.id = id
            $0.kind = kind == .person ? .person : .service
            $0.fullName = fullName
            $0.email = email
            $0.workplace = workplace
            $0.municipalityCode = Int32(municipalityCode)
            $0.municipality = Denmark.municipality(code: municipalityCode)?.name ?? ""
            $0.status = switch status {
            case "active": .active
            case "suspended": .suspended
            default: .erased
            }
            $0.osUser = osUser ?? ""
            $0.createdAt = createdAt
            $0.updatedAt = updatedAt
            $0.createdBy = createdBy
        }
    }
}

/// One row of identity_role_bindings.
struct BindingRecord: Sendable, FetchableRecord {
    var accountID: String
    var role: String
    var scope: String
    var createdAt: String
    var createdBy: String

    init(row: Row) throws {
        accountID = row["account_id"]
        role = row["role"]
        scope = row["scope"]
        createdAt = row["created_at"]
        createdBy = row["created_by"]
    }

    static func all(_ db: Database, accountID: String) throws -> [BindingRecord] {
        try BindingRecord.fetchAll(db, sql: "SELECT * FROM identity_role_bindings WHERE account_id = ? ORDER BY role, scope",
                                   arguments: [accountID])
    }

    var message: Coi_Identity_V1_RoleBinding {
        .with {
            $0.accountID = accountID
            $0.role = role
            $0.scope = scope
            $0.createdAt = createdAt
            $0.createdBy = createdBy
        }
    }
}
