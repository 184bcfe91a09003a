import Foundation
public import COIPluginKit
public import GRDB

extension NominationsPlugin: PersonalDataHolder {
    /// What the plugin holds about an account: nominations made, nominee entries linked to it,
    /// endorsements, reports, jury seats, conflicts and sheets, proposals, comments and votes.
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
        let data: [String: Any] = [
            "nominations_made": try rows("""
                SELECT id, campaign_id, title, idea, difference, origin, origin_wiki_case, workplace, municipality_code, state,
                       submitted_at, updated_at FROM nominations_nominations WHERE nominator_id = ? ORDER BY seq
                """),
            "nominated_as": try rows("""
                SELECT nomination_id, name, consented_at FROM nominations_nominees WHERE account_id = ? ORDER BY nomination_id, position
                """),
            "endorsements": try rows("SELECT nomination_id, created_at FROM nominations_endorsements WHERE account_id = ? ORDER BY created_at"),
            "reports": try rows("SELECT nomination_id, reason, note, created_at, dismissed FROM nominations_reports WHERE account_id = ?"),
            "jury_seats": try rows("SELECT campaign_id, region_code, added_at FROM nominations_jurors WHERE account_id = ?"),
            "declared_conflicts": try rows("SELECT nomination_id, reason, created_at FROM nominations_conflicts WHERE juror_id = ?"),
            "score_sheets": try rows("""
                SELECT campaign_id, nomination_id, scores, weighted, comment, updated_at FROM nominations_scores WHERE juror_id = ?
                """),
            "proposals": try rows("SELECT id, storm_id, title, body, withdrawn, created_at FROM nominations_proposals WHERE author_id = ? ORDER BY seq"),
            "comments": try rows("SELECT id, proposal_id, body, created_at FROM nominations_comments WHERE author_id = ? ORDER BY seq"),
            "votes": try rows("SELECT proposal_id, storm_id, created_at FROM nominations_votes WHERE account_id = ?"),
        ]
        let empty = data.values.allSatisfy { ($0 as? [[String: Any]])?.isEmpty ?? true }
        return empty ? nil : data
    }

    /// Contributions are credited by account id, so their author reads as "former contributor N"
    /// once identity erases the name. What remains is free text about the person typed by others
    /// or by them outside a contribution: their name as a nominee, and the notes of their reports.
    /// - Parameters:
    ///   - accountID: The account.
    ///   - db: The erasure's write transaction.
    public func erasePersonalData(accountID: String, db: Database) throws {
        try db.run(sql: "UPDATE nominations_nominees SET name = 'former nominee', name_key = '' WHERE account_id = ?", arguments: [accountID])
        try db.run(sql: "UPDATE nominations_reports SET note = '' WHERE account_id = ?", arguments: [accountID])
    }
}
