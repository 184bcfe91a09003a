import COIPluginKit
import COIProto
import COIWire
import GRDB

extension PlacementsService {
    /// Matched and unmatched, fill rate by region and by level, and the flows between them.
    static func report(_ db: Database, seasonID: String) throws -> Coi_Placements_V1_SeasonReport {
        let season = try SeasonRecord.require(db, id: seasonID)
        var report = Coi_Placements_V1_SeasonReport()
        report.seasonID = season.id
        report.year = Int32(season.year)
        let counts = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS seekers, COALESCE(SUM(s.approval = ?), 0) AS approved,
                   COALESCE(SUM(r.offer_id IS NOT NULL), 0) AS placed
            FROM placements_seekers s LEFT JOIN placements_results r ON r.seeker_id = s.id WHERE s.season_id = ?
            """, arguments: [ApprovalCode.approved, season.id])
        report.seekers = Int32(counts.map { $0["seekers"] as Int } ?? 0)
        report.approved = Int32(counts.map { $0["approved"] as Int } ?? 0)
        report.placed = Int32(counts.map { $0["placed"] as Int } ?? 0)
        report.unplaced = report.seekers - report.placed
        func fill(_ key: String) throws -> [Coi_Placements_V1_FillRate] {
            // `key` is one of two column names chosen below, never input.
            try Row.fetchAll(db, sql: """
                SELECT o.\(key) AS key, COUNT(*) AS offers, SUM(o.capacity) AS places,
                       SUM((SELECT COUNT(*) FROM placements_results r WHERE r.offer_id = o.id)) AS placed
                FROM placements_offers o WHERE o.season_id = ? AND o.published = 1 GROUP BY 1 ORDER BY 1
                """, arguments: [season.id]).map { row in
                Coi_Placements_V1_FillRate.with {
                    let raw: Int = row["key"]
                    $0.key = key == "level" ? Self.levelName(raw) : Denmark.region(code: raw)?.id ?? ""
                    $0.offers = row["offers"]
                    $0.places = row["places"]
                    $0.placed = row["placed"]
                }
            }
        }
        report.byRegion = try fill("region_code")
        report.byLevel = try fill("level")
        report.offers = report.byLevel.reduce(0) { $0 + $1.offers }
        report.places = report.byLevel.reduce(0) { $0 + $1.places }
        let flows = try flowRows(db, seasonID: season.id).dropFirst()
        func merge(_ from: Int, _ to: Int) -> [Coi_Placements_V1_Flow] {
            var totals: [String: Int32] = [:]
            for row in flows { totals["\(row[from])\u{0}\(row[to])", default: 0] += Int32(row[4]) ?? 0 }
            return totals.keys.sorted().map { key in
                let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
                return Coi_Placements_V1_Flow.with {
                    $0.from = parts[0]
                    $0.to = parts[1]
                    $0.placements = totals[key] ?? 0
                }
            }
        }
        report.levelFlows = merge(0, 2)
        report.regionFlows = merge(1, 3)
        return report
    }
}
