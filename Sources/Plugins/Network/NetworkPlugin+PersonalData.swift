import Foundation
public import COIPluginKit
public import GRDB

extension NetworkPlugin: PersonalDataHolder {
    /// What the plugin holds about an account: memberships (with their history), meeting
    /// registrations, essential tasks drafted, comments and endorsements.
    /// - Parameters:
    ///   - accountID: The account.
    ///   - db: A read transaction.
    /// - Returns: A JSON-serializable dictionary, or nil when the plugin holds nothing.
    public func exportPersonalData(accountID: String, db: Database) throws -> Any? {
        func rows(_ sql: String) throws -> [[String: Any]] {
            try Row.cachedAll(db, sql: sql, arguments: [accountID]).map { row in
                var object: [String: Any] = [:]
                for (column, value) in row {
                    switch value.storage {
                    case .null: object[column] = NSNull()
                    case let .int64(number): object[column] = number
                    case let .double(number): object[column] = number
                    case let .string(text): object[column] = text
                    case .blob: continue
                    }
                }
                return object
            }
        }
        let mine = "SELECT id FROM network_members WHERE account_id = ?"
        let data: [String: Any] = [
            "memberships": try rows("""
                SELECT id, ref, party, body, municipality_code, region_code, role, term_start, term_end, status, invited_at, active_since,
                       ceased_at, public_consent, created_at, updated_at FROM network_members WHERE account_id = ? ORDER BY seq
                """),
            "membership_history": try rows("""
                SELECT member_id, valid_from, party, body, region_code, status FROM network_member_history
                WHERE member_id IN (\(mine)) ORDER BY seq
                """),
            "meeting_registrations": try rows("""
                SELECT meeting_id, member_id, state, updated_at FROM network_registrations WHERE member_id IN (\(mine))
                """),
            "tasks_drafted": try rows("SELECT id, title, statement, state, created_at FROM network_tasks WHERE author_member_id IN (\(mine))"),
            "task_revisions": try rows("SELECT task_id, revision, title, statement, summary, created_at FROM network_task_revisions WHERE author_id = ?"),
            "task_comments": try rows("SELECT id, task_id, body, created_at FROM network_task_comments WHERE member_id IN (\(mine))"),
            "endorsements": try rows("SELECT task_id, party, created_at FROM network_endorsements WHERE member_id IN (\(mine))"),
        ]
        let empty = data.values.allSatisfy { ($0 as? [[String: Any]])?.isEmpty ?? true }
        return empty ? nil : data
    }

    /// Names come from the account, so identity's renaming reaches every membership, comment and
    /// endorsement. What is left is the membership itself: it ends, is withdrawn from public listing
    /// and loses the admin's reference (often a name or an e-mail in a spreadsheet). Contributions
    /// (tasks, comments, endorsements) stay, credited to "former contributor N", because the
    /// network's published output must not change when one endorser leaves.
    /// - Parameters:
    ///   - accountID: The account.
    ///   - db: The erasure's write transaction.
    public func erasePersonalData(accountID: String, db: Database) throws {
        let now = Timestamp.now()
        let current = try String.fetchAll(db, sql: "SELECT id FROM network_members WHERE account_id = ? AND status <> 3", arguments: [accountID])
        for id in current {
            try db.execute(sql: """
                INSERT INTO network_member_history (member_id, valid_from, party, body, region_code, status)
                SELECT id, ?, party, body, region_code, 3 FROM network_members WHERE id = ?
                """, arguments: [now, id])
        }
        try db.execute(sql: """
            UPDATE network_members SET ref = '', public_consent = 0, status = 3, ceased_at = CASE WHEN ceased_at = '' THEN ? ELSE ceased_at END,
                version = version + 1, updated_at = ? WHERE account_id = ?
            """, arguments: [now, now, accountID])
    }
}
