import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB

extension PlacementsService {
    func registerComparison(_ router: inout Router) {
        router.unary(Coi_Placements_V1_Seasons.Method.compare, .read("placements.export")) { (request: Coi_Placements_V1_CompareSeasonsRequest, context) in
            try Self.requireAllSeasons(context)
            let (from, to) = try Self.yearBounds(request.fromYear, request.toYear)
            return try await self.read { db in
                let seasons = try Self.figures(db, from: from, to: to)
                return Coi_Placements_V1_CompareSeasonsReply.with { $0.seasons = seasons }
            }
        }
    }

    /// Comparing seasons spans seasons: a coordinator bound to one season does not see the others.
    static func requireAllSeasons(_ context: RequestContext) throws {
        guard context.principal.can("placements.export", in: "") else {
            throw RPCError(.permissionDenied, "\(context.principal.permissionSubject) lacks permission placements.export for every season "
                           + "(a grant bound to one season does not cover the comparison)", reason: "PERMISSION_DENIED")
        }
    }

    static func yearBounds(_ from: Int32, _ to: Int32) throws -> (Int, Int) {
        for (field, year) in [("from_year", from), ("to_year", to)] where year != 0 && !(2000...2100).contains(year) {
            throw RPCError.invalidField(field, "must be 2000–2100 or 0 (no bound), is \(year)")
        }
        if from != 0, to != 0, to < from { throw RPCError.invalidField("to_year", "\(to) is before from_year \(from)") }
        return (Int(from), Int(to))
    }

    /// Every season in the years, in order, with its figures and the change from the one before.
    static func figures(_ db: Database, from: Int, to: Int) throws -> [Coi_Placements_V1_SeasonFigures] {
        // One pass per table, grouped by season, rather than a query per season.
        let rows = try Row.fetchAll(db, sql: """
            SELECT s.*, COALESCE(o.offers, 0) AS n_offers, COALESCE(o.places, 0) AS n_places, COALESCE(k.seekers, 0) AS n_seekers,
                   COALESCE(k.approved, 0) AS n_approved, COALESCE(r.placed, 0) AS n_placed, COALESCE(r.in_offers, 0) AS n_in_offers,
                   COALESCE(e.exchanges, 0) AS n_exchanges
            FROM placements_seasons s
            LEFT JOIN (SELECT season_id, COUNT(*) AS offers, SUM(capacity) AS places FROM placements_offers WHERE published = 1
                       GROUP BY season_id) o ON o.season_id = s.id
            LEFT JOIN (SELECT season_id, COUNT(*) AS seekers, SUM(approval = ?) AS approved FROM placements_seekers GROUP BY season_id) k
                   ON k.season_id = s.id
            LEFT JOIN (SELECT r.season_id, COUNT(*) AS placed, SUM(o.published) AS in_offers FROM placements_results r
                       JOIN placements_offers o ON o.id = r.offer_id GROUP BY r.season_id) r ON r.season_id = s.id
            LEFT JOIN (SELECT season_id, COUNT(*) AS exchanges FROM placements_exchanges WHERE status = ? GROUP BY season_id) e
                   ON e.season_id = s.id
            WHERE (? = 0 OR s.year >= ?) AND (? = 0 OR s.year <= ?)
            ORDER BY s.year, s.week, s.seq
            """, arguments: [ApprovalCode.approved, ExchangeRecord.placed, from, from, to, to])
        var result: [Coi_Placements_V1_SeasonFigures] = []
        for row in rows {
            let season = SeasonRecord(row: row)
            var figures = Coi_Placements_V1_SeasonFigures.with {
                $0.seasonID = season.id
                $0.year = Int32(season.year)
                $0.week = Int32(season.week)
                $0.title = season.title
                $0.phase = season.phase().phase.proto
                $0.offers = row["n_offers"]
                $0.places = row["n_places"]
                $0.seekers = row["n_seekers"]
                $0.approved = row["n_approved"]
                $0.placed = row["n_placed"]
                $0.placedInOffers = row["n_in_offers"]
                $0.exchanges = row["n_exchanges"]
                $0.fillRate = $0.places > 0 ? Double($0.placedInOffers) / Double($0.places) : 0
            }
            if let previous = result.last {
                figures.offersChange = figures.offers - previous.offers
                figures.seekersChange = figures.seekers - previous.seekers
                figures.placedChange = figures.placed - previous.placed
                figures.fillRateChange = figures.fillRate - previous.fillRate
            }
            result.append(figures)
        }
        return result
    }

    /// YEARS: the comparison as CSV.
    static func yearRows(_ db: Database, from: Int, to: Int) throws -> [[String]] {
        var rows = [["season_id", "year", "week", "title", "phase", "offers", "places", "seekers", "approved", "placed", "placed_in_offers",
                     "exchanges", "fill_rate", "offers_change", "seekers_change", "placed_change", "fill_rate_change"]]
        for figures in try figures(db, from: from, to: to) {
            rows.append([figures.seasonID, String(figures.year), String(figures.week), figures.title,
                         SeasonPhase(rawValue: figures.phase.rawValue)?.name ?? "", String(figures.offers), String(figures.places),
                         String(figures.seekers), String(figures.approved), String(figures.placed), String(figures.placedInOffers),
                         String(figures.exchanges), rate(figures.fillRate), String(figures.offersChange), String(figures.seekersChange),
                         String(figures.placedChange), rate(figures.fillRateChange)])
        }
        return rows
    }

    /// FILL_RATES: the report's fill rates as CSV, the season's total first.
    static func fillRateRows(_ db: Database, seasonID: String) throws -> [[String]] {
        let report = try report(db, seasonID: seasonID)
        var rows = [["dimension", "key", "offers", "places", "placed", "fill_rate"]]
        func add(_ dimension: String, _ key: String, _ offers: Int32, _ places: Int32, _ placed: Int32) {
            rows.append([dimension, key, String(offers), String(places), String(placed), rate(places > 0 ? Double(placed) / Double(places) : 0)])
        }
        add("total", "", report.offers, report.places, report.byLevel.reduce(0) { $0 + $1.placed })
        for fill in report.byRegion { add("region", fill.key, fill.offers, fill.places, fill.placed) }
        for fill in report.byLevel { add("level", fill.key, fill.offers, fill.places, fill.placed) }
        return rows
    }

    /// A rate with three decimals and a point, whatever the locale.
    static func rate(_ value: Double) -> String { String(format: "%.3f", locale: Locale(identifier: "en_US_POSIX"), value) }
}
