import COIPluginKit
import COIProto
import COIWire
import GRDB

extension PlacementsService {
    func registerMatching(_ router: inout Router) {
        router.unary(Coi_Placements_V1_Matching.Method.match, .write("placements.manage")) { (request: Coi_Placements_V1_MatchRequest, context) in
            context.audit.target = "season:\(request.seasonID)"
            try context.require("placements.manage", in: "season:\(request.seasonID)")
            if request.dryRun {
                return try await self.read { db in
                    let season = try SeasonRecord.require(db, id: request.seasonID)
                    try season.require(SeasonPhase.allCases.filter { $0 < .confirmed }, for: "matching")
                    let (instance, outcome) = try Self.solve(db, seasonID: season.id)
                    return try Self.reply(db, season: season, rows: Self.resultRows(outcome, now: ""), instance: instance, dryRun: true)
                }
            }
            return try await self.write { db in
                let season = try SeasonRecord.require(db, id: request.seasonID)
                try season.require(SeasonPhase.allCases.filter { $0 < .confirmed }, for: "matching")
                let (instance, outcome) = try Self.solve(db, seasonID: season.id)
                let now = Timestamp.now()
                let rows = try Self.storeResults(db, seasonID: season.id, rows: Self.resultRows(outcome, now: now))
                try db.run(sql: """
                    UPDATE placements_seasons SET phase = ?, phase_set_at = ?, matched_at = ?, version = version + 1, updated_at = ? WHERE id = ?
                    """, arguments: [SeasonPhase.matched.rawValue, now, now, now, season.id])
                try Events.append(db, seasonID: season.id, kind: "matching.done", subject: season.id,
                                  detail: "\(outcome.placements.count) of \(instance.seekerCount) placed")
                let updated = try SeasonRecord.require(db, id: season.id)
                return try Self.reply(db, season: updated, rows: rows, instance: instance, dryRun: false)
            }
        }
        router.unary(Coi_Placements_V1_Matching.Method.get, .read("placements.export")) { (request: Coi_Placements_V1_GetMatchingRequest, context) in
            try context.require("placements.export", in: "season:\(request.seasonID)")
            return try await self.read { db in
                let season = try SeasonRecord.require(db, id: request.seasonID)
                let instance = try Self.instance(db, seasonID: season.id)
                return try Self.reply(db, season: season, rows: Self.storedRows(db, seasonID: season.id), instance: instance, dryRun: false)
            }
        }
        router.unary(Coi_Placements_V1_Matching.Method.adjust, .write("placements.manage")) { (request: Coi_Placements_V1_AdjustRequest, context) in
            context.audit.target = "seeker:\(request.seekerID)"
            try context.require("placements.manage", in: "season:\(request.seasonID)")
            let reason = try Validation.text(request.reason, "reason", limit: 500)
            context.audit.reason = reason
            return try await self.write { db in
                let season = try SeasonRecord.require(db, id: request.seasonID)
                try season.require([.matched], for: "adjusting placements")
                let seeker = try SeekerRecord.require(db, id: request.seekerID)
                guard seeker["season_id"] as String == season.id else { throw RPCError.invalidField("seeker_id", "is not a seeker of season \(season.id)") }
                if let exchange = try String.fetchOne(db, sql: """
                    SELECT e.id FROM placements_results r JOIN placements_offers o ON o.id = r.offer_id
                    JOIN placements_exchanges e ON e.id = o.exchange_id WHERE r.seeker_id = ? AND r.source = 'exchange'
                    """, arguments: [request.seekerID]) {
                    throw RPCError(.failedPrecondition, "seeker \(request.seekerID) is placed by exchange \(exchange); cancel the exchange instead",
                                   reason: "EXCHANGE_PLACED")
                }
                if request.offerID.isEmpty {
                    try Self.place(db, season: season, seekerID: request.seekerID, offerID: nil, source: "adjusted")
                } else {
                    guard seeker["approval"] as Int == ApprovalCode.approved else {
                        throw RPCError(.failedPrecondition, "seeker \(request.seekerID) has no approval from their home manager; no placement "
                                       + "without it", reason: "NOT_APPROVED")
                    }
                    try Self.requireFreePlace(db, season: season, offerID: request.offerID, excluding: request.seekerID)
                    try Self.place(db, season: season, seekerID: request.seekerID, offerID: request.offerID, source: "adjusted")
                }
                try Events.append(db, seasonID: season.id, kind: "placement.adjusted", subject: request.seekerID)
                return try Self.placement(db, seekerID: request.seekerID)
            }
        }
        router.unary(Coi_Placements_V1_Matching.Method.book, .write("placements.apply")) { (request: Coi_Placements_V1_BookRequest, context) in
            context.audit.target = "seeker:\(request.seekerID)"
            return try await self.write { db in
                let seeker = try SeekerRecord.require(db, id: request.seekerID)
                guard SeekerRecord.mayAccess(seeker, context, managerToo: false) else {
                    throw RPCError(.permissionDenied, "\(context.principal.caller) is not seeker \(request.seekerID)", reason: "NOT_SEEKER")
                }
                let season = try SeasonRecord.require(db, id: seeker["season_id"])
                try season.require([.matched], for: "booking a free place")
                guard seeker["approval"] as Int == ApprovalCode.approved else {
                    throw RPCError(.failedPrecondition, "seeker \(request.seekerID) has no approval from their home manager; no placement "
                                   + "without it", reason: "NOT_APPROVED")
                }
                if try Bool.cachedOne(db, sql: "SELECT 1 FROM placements_results WHERE seeker_id = ? AND offer_id IS NOT NULL",
                                      arguments: [request.seekerID]) ?? false {
                    throw RPCError(.failedPrecondition, "seeker \(request.seekerID) is already placed", reason: "ALREADY_PLACED")
                }
                try Self.requireFreePlace(db, season: season, offerID: request.offerID, excluding: request.seekerID)
                try Self.place(db, season: season, seekerID: request.seekerID, offerID: request.offerID, source: "booked")
                try Events.append(db, seasonID: season.id, kind: "placement.booked", subject: request.offerID)
                return try Self.placement(db, seekerID: request.seekerID)
            }
        }
    }

    /// One seeker's result row.
    struct ResultRow: Sendable {
        var seekerID: String
        var offerID: String?
        var choice: Int
        var hostRank: Int
        var source: String
        var reason: Coi_Placements_V1_UnmatchedReason
        var placedAt: String

        /// The same placement or reason, whenever it was made.
        func sameOutcome(as other: ResultRow) -> Bool {
            seekerID == other.seekerID && offerID == other.offerID && choice == other.choice && hostRank == other.hostRank
                && source == other.source && reason == other.reason
        }
    }

    /// Makes the season's stored results (all but exchange placements, which are outside the
    /// matching) equal to `rows`, writing only what changed: a re-run that places a seeker as before
    /// keeps that row and its `placed_at`, so re-running an unchanged season writes almost nothing
    /// (deleting and reinserting 10,000 rows with their three indexes was most of a re-run's time).
    /// - Returns: `rows`, with the stored `placed_at` of every row that was kept.
    static func storeResults(_ db: Database, seasonID: String, rows: [ResultRow]) throws -> [ResultRow] {
        var stored: [String: ResultRow] = [:]
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT seeker_id, offer_id, choice, host_rank, source, reason, placed_at FROM placements_results
            WHERE season_id = ? AND source != 'exchange'
            """), arguments: [seasonID])
        while let row = try cursor.next() {
            stored[row[0]] = ResultRow(seekerID: row[0], offerID: row[1], choice: row[2], hostRank: row[3], source: row[4],
                                       reason: Coi_Placements_V1_UnmatchedReason(rawValue: row[5]) ?? .unspecified, placedAt: row[6])
        }
        var result = rows
        var changed: [ResultRow] = []
        for index in result.indices {
            let row = result[index]
            if let old = stored.removeValue(forKey: row.seekerID), old.sameOutcome(as: row) {
                result[index].placedAt = old.placedAt
            } else {
                changed.append(row)
            }
        }
        // Seekers with a stored row that changed or is gone (no longer in the matching), then the new rows.
        let obsolete = changed.map(\.seekerID) + stored.keys.sorted()
        for start in stride(from: 0, to: obsolete.count, by: 500) {
            let chunk = Array(obsolete[start..<min(start + 500, obsolete.count)])
            // Not cached: the list's length varies.
            try db.execute(sql: "DELETE FROM placements_results WHERE seeker_id IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ", ")))",
                       arguments: StatementArguments(chunk))
        }
        try insertResults(db, seasonID: seasonID, rows: changed)
        return result
    }

    /// Inserts result rows a hundred to a statement: one statement per row cost more than the
    /// matching itself for a season of 10,000 seekers.
    static func insertResults(_ db: Database, seasonID: String, rows: [ResultRow]) throws {
        let perStatement = 100
        var first = 0
        while first < rows.count {
            let chunk = rows[first..<min(first + perStatement, rows.count)]
            // At most two texts (a full chunk and the last one), so the statement cache stays small.
            let statement = try db.cachedStatement(sql: """
                INSERT INTO placements_results (season_id, seeker_id, offer_id, choice, host_rank, source, reason, placed_at) VALUES
                """ + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", "))
            var values: [(any DatabaseValueConvertible)?] = []
            values.reserveCapacity(chunk.count * 8)
            for row in chunk {
                values.append(contentsOf: [seasonID, row.seekerID, row.offerID, row.choice, row.hostRank, row.source, row.reason.rawValue,
                                           row.placedAt] as [(any DatabaseValueConvertible)?])
            }
            try statement.execute(arguments: StatementArguments(values))
            first += chunk.count
        }
    }

    static func instance(_ db: Database, seasonID: String) throws -> MatchingInstance {
        try SeasonInstance.load(db, seasonID: seasonID)
    }

    static func solve(_ db: Database, seasonID: String) throws -> (MatchingInstance, MatchingOutcome) {
        let instance = try instance(db, seasonID: seasonID)
        return (instance, MatchingOutcome(instance: instance, matching: DeferredAcceptance.match(instance)))
    }

    static func resultRows(_ outcome: MatchingOutcome, now: String) -> [ResultRow] {
        outcome.placements.map {
            ResultRow(seekerID: $0.seekerID, offerID: $0.offerID, choice: $0.choice, hostRank: $0.hostRank, source: "matching",
                      reason: .unspecified, placedAt: now)
        } + outcome.unplaced.map {
            ResultRow(seekerID: $0.seekerID, offerID: nil, choice: 0, hostRank: 0, source: "matching", reason: $0.reason.proto, placedAt: now)
        }
    }

    static func storedRows(_ db: Database, seasonID: String) throws -> [ResultRow] {
        try Row.cachedAll(db, sql: "SELECT * FROM placements_results WHERE season_id = ? ORDER BY seeker_id", arguments: [seasonID]).map { row in
            ResultRow(seekerID: row["seeker_id"], offerID: row["offer_id"], choice: row["choice"], hostRank: row["host_rank"],
                      source: row["source"], reason: Coi_Placements_V1_UnmatchedReason(rawValue: row["reason"]) ?? .unspecified,
                      placedAt: row["placed_at"])
        }
    }

    /// The reply for `rows`, with refs and names, and whether they form a stable matching of `instance`.
    static func reply(_ db: Database, season: SeasonRecord, rows: [ResultRow], instance: MatchingInstance,
                      dryRun: Bool) throws -> Coi_Placements_V1_MatchingReply {
        // Read through cursors by column position: the rows are not kept, only what the reply needs.
        var seekers: [String: (ref: String, name: String)] = [:]
        seekers.reserveCapacity(instance.seekerCount)
        let seekerRows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT s.id, s.ref, COALESCE(a.full_name, '') FROM placements_seekers s \(AccountNames.join(on: "s.account_id"))
            WHERE s.season_id = ?
            """), arguments: [season.id])
        while let row = try seekerRows.next() { seekers[row[0]] = (row[1], row[2]) }
        var offers: [String: (ref: String, title: String)] = [:]
        var places = 0, published = 0
        let offerRows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT id, ref, title, capacity, published FROM placements_offers WHERE season_id = ?
            """), arguments: [season.id])
        while let row = try offerRows.next() {
            offers[row[0]] = (row[1], row[2])
            if row[4] as Bool {
                places += row[3] as Int
                published += 1
            }
        }
        var placements: [String: String] = [:]
        // Exchange placements are outside the matching (and its instance): stability is the rest's.
        for row in rows where row.source != "exchange" { if let offer = row.offerID { placements[row.seekerID] = offer } }
        let matching = Matching(placements: placements, in: instance)
        return .with { reply in
            reply.seasonID = season.id
            reply.dryRun = dryRun
            reply.seekers = Int32(seekers.count)
            reply.offers = Int32(published)
            reply.places = Int32(places)
            reply.matchedAt = season.matchedAt
            reply.stable = matching.map { MatchingChecks.isStable($0, in: instance) } ?? false
            for row in rows {
                let seeker = seekers[row.seekerID] ?? ("", "")
                if let offerID = row.offerID {
                    let offer = offers[offerID] ?? ("", "")
                    reply.placements.append(.with {
                        $0.seekerID = row.seekerID
                        $0.seekerRef = seeker.ref
                        $0.seekerName = seeker.name
                        $0.offerID = offerID
                        $0.offerRef = offer.ref
                        $0.offerTitle = offer.title
                        $0.choice = Int32(row.choice)
                        $0.hostRank = Int32(row.hostRank)
                        $0.source = row.source
                        $0.placedAt = row.placedAt
                    })
                } else {
                    reply.unplaced.append(.with {
                        $0.seekerID = row.seekerID
                        $0.seekerRef = seeker.ref
                        $0.seekerName = seeker.name
                        $0.reason = row.reason
                    })
                }
            }
            reply.placed = Int32(reply.placements.count)
        }
    }

    /// Fails unless the offer is a published offer of the season with a free place (not counting `excluding`).
    static func requireFreePlace(_ db: Database, season: SeasonRecord, offerID: String, excluding seekerID: String) throws {
        let offer = try OfferRecord.require(db, id: offerID)
        guard offer["season_id"] as String == season.id, offer["published"] as Bool else {
            throw RPCError.invalidField("offer_id", "\(offerID) is not a published offer of season \(season.id)")
        }
        let taken = try Int.cachedOne(db, sql: "SELECT COUNT(*) FROM placements_results WHERE offer_id = ? AND seeker_id != ?",
                                      arguments: [offerID, seekerID]) ?? 0
        guard taken < offer["capacity"] as Int else {
            throw RPCError(.failedPrecondition, "offer \(offerID) is full (\(taken) of \(offer["capacity"] as Int) places taken)",
                           reason: "OFFER_FULL")
        }
    }

    /// Stores one seeker's placement (nil: unplaced), with their and the host's ranks of each other.
    static func place(_ db: Database, season: SeasonRecord, seekerID: String, offerID: String?, source: String) throws {
        let choice = try offerID.flatMap {
            try Int.cachedOne(db, sql: "SELECT rank FROM placements_choices WHERE seeker_id = ? AND offer_id = ?", arguments: [seekerID, $0])
        } ?? 0
        let hostRank = try offerID.flatMap {
            try Int.cachedOne(db, sql: """
                SELECT COUNT(*) FROM placements_host_ranks WHERE offer_id = ?1
                AND rank <= (SELECT rank FROM placements_host_ranks WHERE offer_id = ?1 AND seeker_id = ?2)
                AND EXISTS (SELECT 1 FROM placements_host_ranks WHERE offer_id = ?1 AND seeker_id = ?2)
                """, arguments: [$0, seekerID])
        } ?? 0
        try db.run(sql: """
            INSERT INTO placements_results (season_id, seeker_id, offer_id, choice, host_rank, source, reason, placed_at)
            VALUES (?, ?, ?, ?, ?, ?, 0, ?)
            ON CONFLICT (seeker_id) DO UPDATE SET offer_id = excluded.offer_id, choice = excluded.choice,
                host_rank = excluded.host_rank, source = excluded.source, reason = 0, placed_at = excluded.placed_at
            """, arguments: [season.id, seekerID, offerID, choice, hostRank, source, Timestamp.now()])
    }

    /// One seeker's placement as a message.
    static func placement(_ db: Database, seekerID: String) throws -> Coi_Placements_V1_Placement {
        guard let row = try Row.cachedOne(db, sql: """
            SELECT r.*, s.ref AS seeker_ref, COALESCE(a.full_name, '') AS seeker_name, COALESCE(o.ref, '') AS offer_ref,
                   COALESCE(o.title, '') AS offer_title
            FROM placements_results r JOIN placements_seekers s ON s.id = r.seeker_id \(AccountNames.join(on: "s.account_id"))
            LEFT JOIN placements_offers o ON o.id = r.offer_id WHERE r.seeker_id = ?
            """, arguments: [seekerID]) else { return .init() }
        return .with {
            $0.seekerID = row["seeker_id"]
            $0.seekerRef = row["seeker_ref"]
            $0.seekerName = row["seeker_name"]
            $0.offerID = row["offer_id"] ?? ""
            $0.offerRef = row["offer_ref"]
            $0.offerTitle = row["offer_title"]
            $0.choice = row["choice"]
            $0.hostRank = row["host_rank"]
            $0.source = row["source"]
            $0.placedAt = row["placed_at"]
        }
    }
}

extension UnmatchedReason {
    /// The proto enum value.
    var proto: Coi_Placements_V1_UnmatchedReason {
        switch self {
        case .noApproval: .noApproval
        case .noAcceptableOffer: .noAcceptableOffer
        case .allFull: .allFull
        }
    }
}
