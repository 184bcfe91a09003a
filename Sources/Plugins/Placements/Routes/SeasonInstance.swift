import COIPluginKit
import GRDB

/// A season's matching input read from the store: approved seekers' choices of published offers,
/// and each offer's ranking of its applicants.
struct SeasonInstance {
    var seekers: [MatchingInstance.Seeker]
    var offers: [MatchingInstance.Offer]

    /// Reads the season's instance in three scans (seekers, choices, host ranks), each in key order
    /// so the lists come out ranked without sorting.
    static func load(_ db: Database, seasonID: String) throws -> SeasonInstance {
        var choices: [String: [String]] = [:]
        let choiceRows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT c.seeker_id, c.offer_id FROM placements_choices c JOIN placements_seekers s ON s.id = c.seeker_id
            JOIN placements_offers o ON o.id = c.offer_id
            WHERE s.season_id = ? AND o.published = 1 ORDER BY c.seeker_id, c.rank
            """), arguments: [seasonID])
        while let row = try choiceRows.next() { choices[row[0], default: []].append(row[1]) }
        var seekers: [MatchingInstance.Seeker] = []
        let seekerRows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT id, approval FROM placements_seekers WHERE season_id = ?1
            AND id NOT IN (SELECT seeker_id FROM placements_results WHERE season_id = ?1 AND source = 'exchange')
            """), arguments: [seasonID])
        while let row = try seekerRows.next() {
            let id: String = row[0]
            seekers.append(MatchingInstance.Seeker(id: id, choices: choices[id] ?? [],
                                                   eligible: row[1] as Int == ApprovalCode.approved))
        }
        var rankings: [String: [String]] = [:]
        let rankRows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT h.offer_id, h.seeker_id FROM placements_host_ranks h JOIN placements_offers o ON o.id = h.offer_id
            WHERE o.season_id = ? ORDER BY h.offer_id, h.rank
            """), arguments: [seasonID])
        while let row = try rankRows.next() { rankings[row[0], default: []].append(row[1]) }
        var offers: [MatchingInstance.Offer] = []
        let offerRows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT id, capacity FROM placements_offers WHERE season_id = ? AND published = 1
            """), arguments: [seasonID])
        while let row = try offerRows.next() {
            let id: String = row[0]
            offers.append(MatchingInstance.Offer(id: id, capacity: row[1], ranking: rankings[id] ?? []))
        }
        return SeasonInstance(seekers: seekers, offers: offers)
    }
}

/// The stored approval codes (the proto's values), for SQL that cannot name the enum.
enum ApprovalCode {
    static let pending = 1
    static let approved = 2
    static let declined = 3
}
