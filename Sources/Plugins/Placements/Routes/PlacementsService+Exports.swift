import COIPluginKit
import COIProto
import COIWire
import GRDB

extension PlacementsService {
    func registerExports(_ router: inout Router) {
        // Audited: the tables name seekers, hosts and their contacts.
        router.serverStreaming(Coi_Placements_V1_Seasons.Method.export, .read("placements.export").audited()) {
            (request: Coi_Placements_V1_ExportRequest, context, writer: ResponseWriter<Coi_Placements_V1_CsvChunk>) in
            context.audit.target = request.table == .years ? "seasons" : "season:\(request.seasonID)"
            if request.table == .years {
                try Self.requireAllSeasons(context)
            } else {
                try context.require("placements.export", in: "season:\(request.seasonID)")
            }
            let rows: [[String]]
            switch request.table {
            case .fillRates: rows = try await self.read { db in try Self.fillRateRows(db, seasonID: request.seasonID) }
            case .years:
                let (from, to) = try Self.yearBounds(request.fromYear, request.toYear)
                rows = try await self.read { db in try Self.yearRows(db, from: from, to: to) }
            case .matches: rows = try await self.read { db in try Self.matchRows(db, seasonID: request.seasonID) }
            case .offers: rows = try await self.read { db in try Self.offerRows(db, seasonID: request.seasonID) }
            case .seekers: rows = try await self.read { db in try Self.seekerRows(db, seasonID: request.seasonID) }
            case .flows: rows = try await self.read { db in try Self.flowRows(db, seasonID: request.seasonID) }
            default: throw RPCError.invalidField("table", "must be MATCHES, OFFERS, SEEKERS, FLOWS, FILL_RATES or YEARS")
            }
            var csv = CSVWriter(writer: writer)
            for row in rows { try await csv.write(row) }
            try await csv.flush()
        }
        router.unary(Coi_Placements_V1_Seasons.Method.report, .read("placements.export")) { (request: Coi_Placements_V1_ReportRequest, context) in
            try context.require("placements.export", in: "season:\(request.seasonID)")
            return try await self.read { db in try Self.report(db, seasonID: request.seasonID) }
        }
        router.serverStreaming(Coi_Placements_V1_Seasons.Method.feed, .read("placements.read"), lifetime: .longLived) {
            (request: Coi_Placements_V1_FeedRequest, _, writer: ResponseWriter<Coi_Placements_V1_Event>) in
            guard request.after >= 0 else { throw RPCError.invalidField("after", "must be 0 or a cursor from an event, is \(request.after)") }
            var cursor = request.after
            while true {
                try Task.checkCancellation()
                let from = cursor
                let events = try await self.read { db in
                    try Row.cachedAll(db, sql: """
                        SELECT * FROM placements_events WHERE cursor > ? AND (? = '' OR season_id = ?) ORDER BY cursor LIMIT 500
                        """, arguments: [from, request.seasonID, request.seasonID]).map { row in
                        Coi_Placements_V1_Event.with {
                            $0.cursor = row["cursor"]
                            $0.time = row["time"]
                            $0.seasonID = row["season_id"]
                            $0.kind = row["kind"]
                            $0.subject = row["subject"]
                            $0.detail = row["detail"]
                        }
                    }
                }
                for event in events {
                    try await writer.send(event)
                    cursor = event.cursor
                }
                if events.count == 500 { continue }
                if !request.follow { return }
                await self.changes.wait(timeout: .seconds(1))
            }
        }
    }

    /// MATCHES: one row per seeker of the season, placed or not.
    static func matchRows(_ db: Database, seasonID: String) throws -> [[String]] {
        _ = try SeasonRecord.require(db, id: seasonID)
        var rows = [["seeker_ref", "seeker_id", "seeker_name", "offer_ref", "offer_id", "offer_title", "choice", "host_rank", "source", "reason"]]
        for row in try Row.fetchAll(db, sql: """
            SELECT s.ref AS seeker_ref, s.id AS seeker_id, COALESCE(a.full_name, '') AS seeker_name, COALESCE(o.ref, '') AS offer_ref,
                   COALESCE(o.id, '') AS offer_id, COALESCE(o.title, '') AS offer_title, r.choice, r.host_rank, r.source, r.reason
            FROM placements_seekers s \(AccountNames.join(on: "s.account_id"))
            LEFT JOIN placements_results r ON r.seeker_id = s.id LEFT JOIN placements_offers o ON o.id = r.offer_id
            WHERE s.season_id = ? ORDER BY s.seq
            """, arguments: [seasonID]) {
            let source: String? = row["source"]
            let offerID: String = row["offer_id"]
            let reasonCode: Int? = row["reason"]
            let reason = Coi_Placements_V1_UnmatchedReason(rawValue: reasonCode ?? 0) ?? .unspecified
            let choice: Int? = row["choice"], hostRank: Int? = row["host_rank"]
            let seekerRef: String = row["seeker_ref"], seekerID: String = row["seeker_id"], seekerName: String = row["seeker_name"]
            let offerRef: String = row["offer_ref"], offerTitle: String = row["offer_title"]
            let placed = !offerID.isEmpty
            rows.append([seekerRef, seekerID, seekerName, offerRef, offerID, offerTitle, placed ? String(choice ?? 0) : "",
                         placed ? String(hostRank ?? 0) : "", source ?? "", source == nil ? "not_matched_yet" : reason.csvName])
        }
        return rows
    }

    static func offerRows(_ db: Database, seasonID: String) throws -> [[String]] {
        _ = try SeasonRecord.require(db, id: seasonID)
        var rows = [["ref", "id", "title", "host_workplace", "level", "municipality_code", "municipality", "region", "capacity", "days",
                     "published", "placed", "contact_id", "contact_name"]]
        for row in try Row.fetchAll(db, sql: OfferRecord.select + " WHERE o.season_id = ? ORDER BY o.seq", arguments: [seasonID]) {
            let offer = OfferRecord.message(row)
            rows.append([offer.ref, offer.id, offer.title, offer.hostWorkplace, offer.level.csvName, String(offer.municipalityCode),
                         offer.municipality, offer.region, String(offer.capacity), String(offer.days), offer.published ? "yes" : "no",
                         String(offer.placed), offer.contactID, offer.contactName])
        }
        return rows
    }

    static func seekerRows(_ db: Database, seasonID: String) throws -> [[String]] {
        _ = try SeasonRecord.require(db, id: seasonID)
        var rows = [["ref", "id", "name", "home_workplace", "level", "municipality_code", "municipality", "region", "manager_id",
                     "manager_name", "approval", "approval_reason", "choices"]]
        for row in try Row.fetchAll(db, sql: SeekerRecord.select + " WHERE s.season_id = ? ORDER BY s.seq", arguments: [seasonID]) {
            let seeker = SeekerRecord.message(row)
            rows.append([seeker.ref, seeker.id, seeker.name, seeker.homeWorkplace, seeker.level.csvName, String(seeker.municipalityCode),
                         seeker.municipality, seeker.region, seeker.managerID, seeker.managerName, seeker.approval.csvName,
                         seeker.approvalReason, String(seeker.choices)])
        }
        return rows
    }

    static func flowRows(_ db: Database, seasonID: String) throws -> [[String]] {
        _ = try SeasonRecord.require(db, id: seasonID)
        var rows = [["home_level", "home_region", "host_level", "host_region", "placements"]]
        for row in try Row.fetchAll(db, sql: """
            SELECT s.level AS home_level, s.region_code AS home_region, o.level AS host_level, o.region_code AS host_region, COUNT(*) AS n
            FROM placements_results r JOIN placements_seekers s ON s.id = r.seeker_id JOIN placements_offers o ON o.id = r.offer_id
            WHERE r.season_id = ? GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            """, arguments: [seasonID]) {
            let homeLevel: Int = row["home_level"], homeRegion: Int = row["home_region"]
            let hostLevel: Int = row["host_level"], hostRegion: Int = row["host_region"], count: Int = row["n"]
            rows.append([Self.levelName(homeLevel), Denmark.region(code: homeRegion)?.id ?? "", Self.levelName(hostLevel),
                         Denmark.region(code: hostRegion)?.id ?? "", String(count)])
        }
        return rows
    }

    static func levelName(_ raw: Int) -> String { (Coi_Placements_V1_Level(rawValue: raw) ?? .unspecified).csvName }
}

extension Coi_Placements_V1_UnmatchedReason {
    /// The lower-case name in CSV exports ("" for a placed seeker).
    var csvName: String {
        switch self {
        case .noApproval: "no_approval"
        case .noAcceptableOffer: "no_acceptable_offer"
        case .allFull: "all_full"
        default: ""
        }
    }
}

extension Coi_Placements_V1_Approval {
    /// The lower-case name in CSV files.
    var csvName: String {
        switch self {
        case .pending: "pending"
        case .approved: "approved"
        case .declined: "declined"
        default: ""
        }
    }
}
