import COIPluginKit
import COIWire
import Foundation
import GRDB

/// A person's right of access and erasure: everything coid holds about an account as one JSON
/// document, and pseudonymisation that keeps their contributions credited to a stable
/// "former contributor N".
enum PersonalData {
    /// Every running plugin that holds personal data, and the ids of those that hold some (their
    /// schema exists) but are not running, whose data can then be neither exported nor erased.
    struct Holders {
        var running: [(id: String, holder: any PersonalDataHolder)]
        var stopped: [String]
    }

    static func export(_ db: Database, accountID: String, holders: Holders) throws -> String {
        let account = try AccountRecord.require(db, id: accountID)
        var document: [String: Any] = [
            "exported_at": Timestamp.now(),
            "account": [
                "id": account.id, "kind": account.kind.rawValue, "full_name": account.fullName, "email": account.email,
                "workplace": account.workplace, "municipality_code": account.municipalityCode, "status": account.status,
                "os_user": account.osUser ?? "", "created_at": account.createdAt, "updated_at": account.updatedAt,
                "created_by": account.createdBy,
            ] as [String: Any],
        ]
        document["roles"] = try BindingRecord.all(db, accountID: accountID).map {
            ["role": $0.role, "scope": $0.scope, "created_at": $0.createdAt, "created_by": $0.createdBy]
        }
        document["tokens"] = try Row.fetchAll(db, sql: """
            SELECT id, description, created_at, expires_at, last_used_at, revoked_at FROM identity_tokens WHERE account_id = ? ORDER BY created_at
            """, arguments: [accountID]).map { row in
            ["id": row["id"] as String, "description": row["description"] as String, "created_at": row["created_at"] as String,
             "expires_at": (row["expires_at"] as String?) ?? "", "last_used_at": (row["last_used_at"] as String?) ?? "",
             "revoked_at": (row["revoked_at"] as String?) ?? ""]
        }
        document["audit"] = try Row.fetchAll(db, sql: """
            SELECT sequence, time, principal, act_as, method, target, outcome, reason FROM identity_audit
            WHERE principal = ? OR act_as = ? OR target = ? ORDER BY sequence
            """, arguments: ["account:\(accountID)", accountID, "account:\(accountID)"]).map { row in
            ["sequence": row["sequence"] as Int64, "time": row["time"] as String, "principal": row["principal"] as String,
             "act_as": row["act_as"] as String, "method": row["method"] as String, "target": row["target"] as String,
             "outcome": row["outcome"] as String, "reason": row["reason"] as String] as [String: Any]
        }
        var plugins: [String: Any] = [:]
        for (id, holder) in holders.running {
            if let data = try holder.exportPersonalData(accountID: accountID, db: db) { plugins[id] = data }
        }
        document["plugins"] = plugins
        if !holders.stopped.isEmpty { document["plugins_not_running"] = holders.stopped }
        guard JSONSerialization.isValidJSONObject(document) else {
            throw RPCError(.internal, "a plugin returned personal data that is not JSON-serializable", reason: "EXPORT_NOT_JSON")
        }
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Removes the person's data and leaves the account as "former contributor N": ids stay, so
    /// every contribution, audit entry and foreign key stays intact.
    static func erase(_ db: Database, accountID: String, holders: Holders) throws {
        let account = try AccountRecord.require(db, id: accountID)
        guard account.status != "erased" else {
            throw RPCError(.failedPrecondition, "account \(account.id) is already erased", reason: "ACCOUNT_ERASED")
        }
        // Half an erasure is worse than none: the person would be told they are gone.
        if !holders.stopped.isEmpty {
            throw RPCError(.failedPrecondition, "plugins \(holders.stopped.joined(separator: ", ")) hold personal data but are not running; "
                           + "enable them and erase again", reason: "PLUGIN_NOT_RUNNING")
        }
        for (_, holder) in holders.running {
            try holder.erasePersonalData(accountID: accountID, db: db)
        }
        let number = (try Int.fetchOne(db, sql: "SELECT MAX(erased_number) FROM identity_accounts") ?? 0) + 1
        let now = Timestamp.now()
        try db.execute(sql: """
            UPDATE identity_accounts SET full_name = ?, email = '', workplace = '', municipality_code = 0, os_user = NULL,
                   status = 'erased', erased_number = ?, updated_at = ?
            WHERE id = ?
            """, arguments: ["former contributor \(number)", number, now, accountID])
        try db.execute(sql: "UPDATE identity_tokens SET revoked_at = ?, description = '' WHERE account_id = ? AND revoked_at IS NULL",
                       arguments: [now, accountID])
        try db.execute(sql: "UPDATE identity_tokens SET description = '' WHERE account_id = ?", arguments: [accountID])
        try db.execute(sql: "DELETE FROM identity_role_bindings WHERE account_id = ?", arguments: [accountID])
    }
}

extension Identity {
    /// The plugins asked for a person's data: those running, and those whose tables exist but
    /// that are not running (disabled, or failed to start).
    /// - Parameter db: The database, to see which plugins ever created tables.
    /// - Returns: The holders.
    func personalDataHolders(_ db: Database) throws -> PersonalData.Holders {
        let running = runningPlugins.withLock { $0 }
        var holders = PersonalData.Holders(running: [], stopped: [])
        for entry in personalDataHolders {
            if running.contains(entry.id) {
                holders.running.append(entry)
            } else if try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM grdb_migrations WHERE identifier LIKE ? ESCAPE '\\')
                """, arguments: [Self.likePrefix(entry.id + "/")]) ?? false {
                holders.stopped.append(entry.id)
            }
        }
        return holders
    }

    private static func likePrefix(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}
