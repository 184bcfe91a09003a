import Foundation
public import COIPluginKit
public import GRDB

extension PlacementsPlugin: PersonalDataHolder {
    /// What the plugin holds about an account: seeker registrations with their choices and results,
    /// approvals asked of them as a manager, and offers they are the contact of.
    /// - Parameters:
    ///   - accountID: The account.
    ///   - db: A read transaction.
    /// - Returns: A JSON-serializable dictionary, or nil when the plugin holds nothing.
    public func exportPersonalData(accountID: String, db: Database) throws -> Any? {
        func rows(_ sql: String) throws -> [[String: Any]] {
            try Row.fetchAll(db, sql: sql, arguments: [accountID]).map { row in
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
            "seeker_registrations": try rows("""
                SELECT id, season_id, ref, home_workplace, level, municipality_code, role, learning_goals, manager_id, approval,
                       approval_reason, approval_at, created_at FROM placements_seekers WHERE account_id = ? ORDER BY seq
                """),
            "choices": try rows("""
                SELECT c.seeker_id, c.rank, c.offer_id, c.motivation FROM placements_choices c
                JOIN placements_seekers s ON s.id = c.seeker_id WHERE s.account_id = ? ORDER BY c.seeker_id, c.rank
                """),
            "placements": try rows("""
                SELECT r.seeker_id, r.offer_id, r.choice, r.host_rank, r.source, r.reason, r.placed_at FROM placements_results r
                JOIN placements_seekers s ON s.id = r.seeker_id WHERE s.account_id = ?
                """),
            "approvals_asked_as_manager": try rows("""
                SELECT id AS seeker_id, season_id, approval, approval_reason, approval_at FROM placements_seekers WHERE manager_id = ?
                """),
            "offers_as_contact": try rows("SELECT id, season_id, ref, title, host_workplace, created_at FROM placements_offers WHERE contact_id = ?"),
            "exchanges": try rows("""
                SELECT e.id, e.season_id, e.seeker_id, e.partner_id, e.days, e.note, e.status, e.reason, e.created_at, e.decided_at
                FROM placements_exchanges e JOIN placements_seekers s ON s.id = e.seeker_id JOIN placements_seekers p ON p.id = e.partner_id
                WHERE s.account_id = ?1 OR p.account_id = ?1 ORDER BY e.seq
                """),
            "agreements": try rows("""
                SELECT g.id, g.seeker_id, g.offer_id, g.goals, g.days, g.tasks, g.contact, g.confidentiality, g.version, g.learned,
                       g.ideas_home, g.completed_at, g.case_page_id FROM placements_agreements g JOIN placements_seekers s ON s.id = g.seeker_id
                WHERE s.account_id = ? ORDER BY g.id
                """),
            "agreement_confirmations": try rows("""
                SELECT id AS agreement_id, seeker_id, host_version, host_at, manager_version, manager_at FROM placements_agreements
                WHERE host_by = ?1 OR manager_by = ?1 ORDER BY id
                """),
        ]
        let empty = data.values.allSatisfy { ($0 as? [[String: Any]])?.isEmpty ?? true }
        return empty ? nil : data
    }

    /// Names come from identity_accounts, which erasure pseudonymises. What remains is free text the
    /// person wrote about themself: learning goals, role and motivations, and a manager's reasons
    /// are kept (they are the manager's words, credited to an account that may itself be erased).
    /// - Parameters:
    ///   - accountID: The account.
    ///   - db: The erasure's write transaction.
    public func erasePersonalData(accountID: String, db: Database) throws {
        try db.execute(sql: "UPDATE placements_seekers SET role = '', learning_goals = '' WHERE account_id = ?", arguments: [accountID])
        // The agreement and evaluation are the seeker's own words about their placement; an exchange's
        // note is the proposer's. A published case page is the wiki's (its own erasure applies).
        try db.execute(sql: """
            UPDATE placements_agreements SET goals = '', tasks = '', contact = '', confidentiality = '', learned = '', ideas_home = ''
            WHERE seeker_id IN (SELECT id FROM placements_seekers WHERE account_id = ?)
            """, arguments: [accountID])
        try db.execute(sql: """
            UPDATE placements_exchanges SET note = '' WHERE seeker_id IN (SELECT id FROM placements_seekers WHERE account_id = ?)
            """, arguments: [accountID])
        try db.execute(sql: """
            UPDATE placements_choices SET motivation = '' WHERE seeker_id IN (SELECT id FROM placements_seekers WHERE account_id = ?)
            """, arguments: [accountID])
    }
}
