import Foundation
import COIPluginKit
import COIProto
import COIWire
import GRDB

extension PlacementsService {
    func registerOffers(_ router: inout Router) {
        router.unary(Coi_Placements_V1_Offers.Method.create, .write("placements.host")) { (request: Coi_Placements_V1_CreateOfferRequest, context) in
            let caller = try context.requireAccount()
            let contact = request.contactID.isEmpty ? caller.id : request.contactID
            if contact != caller.id { try context.require("placements.manage", in: "season:\(request.seasonID)") }
            let fields = try OfferFields(request)
            let id = Identifier.make("off")
            context.audit.target = "offer:\(id)"
            return try await self.write { db in
                let season = try SeasonRecord.require(db, id: request.seasonID)
                try season.require([.draft, .offersOpen, .applicationsOpen, .matched], for: "offering placements")
                try Self.requirePerson(db, contact, field: "contact_id")
                try fields.insert(db, id: id, seasonID: season.id, contactID: contact, published: false)
                return OfferRecord.message(try OfferRecord.require(db, id: id))
            }
        }
        router.unary(Coi_Placements_V1_Offers.Method.get, .read("placements.read")) { (request: Coi_Placements_V1_GetOfferRequest, context) in
            let offer = try await self.read { db in OfferRecord.message(try OfferRecord.require(db, id: request.id, field: "id")) }
            // An offer under review is seen by its contact and the coordinators only.
            guard offer.published || offer.contactID == context.principal.account?.id
                    || context.principal.can("placements.manage", in: "season:\(offer.seasonID)") else {
                throw RPCError(.notFound, "no offer \(request.id)", reason: "NOT_FOUND")
            }
            return offer
        }
        router.unary(Coi_Placements_V1_Offers.Method.search, .read("placements.read")) { (request: Coi_Placements_V1_SearchOffersRequest, context) in
            try await self.search(request, context)
        }
        router.unary(Coi_Placements_V1_Offers.Method.review, .write("placements.manage")) { (request: Coi_Placements_V1_ReviewOfferRequest, context) in
            context.audit.target = "offer:\(request.id)"
            context.audit.reason = request.reason
            return try await self.write { db in
                let row = try OfferRecord.require(db, id: request.id, field: "id")
                let season = try SeasonRecord.require(db, id: row["season_id"])
                try context.require("placements.manage", in: "season:\(season.id)")
                try season.require(SeasonPhase.allCases.filter { $0 < .confirmed }, for: "reviewing offers")
                if !request.publish, try Bool.cachedOne(db, sql: "SELECT 1 FROM placements_results WHERE offer_id = ?", arguments: [request.id]) ?? false {
                    throw RPCError(.failedPrecondition, "offer \(request.id) has placements; move them first (`Matching/Adjust`)",
                                   reason: "OFFER_HAS_PLACEMENTS")
                }
                try db.run(sql: "UPDATE placements_offers SET published = ?, updated_at = ? WHERE id = ?",
                           arguments: [request.publish, Timestamp.now(), request.id])
                try Events.append(db, seasonID: season.id, kind: request.publish ? "offer.published" : "offer.withdrawn", subject: request.id)
                return OfferRecord.message(try OfferRecord.require(db, id: request.id))
            }
        }
        router.unary(Coi_Placements_V1_Offers.Method.listApplicants, .read("placements.host")) { (request: Coi_Placements_V1_ListApplicantsRequest, context) in
            try await self.read { db in
                try Self.requireHost(db, offerID: request.offerID, context)
                return try Self.applicants(db, offerID: request.offerID)
            }
        }
        router.unary(Coi_Placements_V1_Offers.Method.rankApplicants, .write("placements.host")) { (request: Coi_Placements_V1_RankApplicantsRequest, context) in
            context.audit.target = "offer:\(request.offerID)"
            return try await self.write { db in
                let season = try Self.requireHost(db, offerID: request.offerID, context)
                let coordinator = context.principal.can("placements.manage", in: "season:\(season.id)")
                try season.require(coordinator ? [.draft, .offersOpen, .applicationsOpen, .matching] : [.offersOpen, .applicationsOpen],
                                   for: "ranking applicants")
                let applicants = try String.cachedSet(db, sql: "SELECT seeker_id FROM placements_choices WHERE offer_id = ?",
                                                      arguments: [request.offerID])
                var seen = Set<String>()
                for (index, seeker) in request.seekerIds.enumerated() {
                    guard applicants.contains(seeker) else {
                        throw RPCError.invalidField("seeker_ids[\(index)]", "\(seeker) has not applied for offer \(request.offerID)")
                    }
                    guard seen.insert(seeker).inserted else { throw RPCError.invalidField("seeker_ids[\(index)]", "\(seeker) is ranked twice") }
                }
                try db.run(sql: "DELETE FROM placements_host_ranks WHERE offer_id = ?", arguments: [request.offerID])
                for (index, seeker) in request.seekerIds.enumerated() {
                    try db.run(sql: "INSERT INTO placements_host_ranks (offer_id, rank, seeker_id) VALUES (?, ?, ?)",
                               arguments: [request.offerID, index + 1, seeker])
                }
                return try Self.applicants(db, offerID: request.offerID)
            }
        }
    }

    /// The offer's season, after checking the caller is its contact or a coordinator.
    @discardableResult
    static func requireHost(_ db: Database, offerID: String, _ context: RequestContext) throws -> SeasonRecord {
        let row = try OfferRecord.require(db, id: offerID)
        let season = try SeasonRecord.require(db, id: row["season_id"])
        guard context.principal.account?.id == row["contact_id"] as String || context.principal.can("placements.manage", in: "season:\(season.id)") else {
            throw RPCError(.permissionDenied, "\(context.principal.caller) is not the contact of offer \(offerID)", reason: "NOT_CONTACT")
        }
        return season
    }

    /// Fails unless `id` is an active person account.
    static func requirePerson(_ db: Database, _ id: String, field: String) throws {
        guard try AccountNames.exists(db, id: id, kind: .person, activeOnly: true) else {
            throw RPCError.invalidField(field, "\(id) is not an active person's account")
        }
    }

    static func applicants(_ db: Database, offerID: String) throws -> Coi_Placements_V1_ListApplicantsReply {
        let rows = try Row.cachedAll(db, sql: """
            SELECT s.id, s.home_workplace, s.role, s.learning_goals, s.approval, c.rank AS choice, c.motivation,
                   COALESCE(h.rank, 0) AS host_rank, COALESCE(a.full_name, '') AS name
            FROM placements_choices c JOIN placements_seekers s ON s.id = c.seeker_id
            LEFT JOIN placements_host_ranks h ON h.offer_id = c.offer_id AND h.seeker_id = c.seeker_id
            \(AccountNames.join(on: "s.account_id"))
            WHERE c.offer_id = ? ORDER BY h.rank IS NULL, h.rank, c.rank, s.seq
            """, arguments: [offerID])
        return .with {
            $0.offerID = offerID
            $0.applicants = rows.map { row in
                Coi_Placements_V1_Applicant.with {
                    $0.seekerID = row["id"]
                    $0.name = row["name"]
                    $0.homeWorkplace = row["home_workplace"]
                    $0.role = row["role"]
                    $0.learningGoals = row["learning_goals"]
                    $0.motivation = row["motivation"]
                    $0.choice = row["choice"]
                    $0.hostRank = row["host_rank"]
                    $0.approval = Coi_Placements_V1_Approval(rawValue: row["approval"]) ?? .unspecified
                }
            }
        }
    }

    private func search(_ request: Coi_Placements_V1_SearchOffersRequest, _ context: RequestContext) async throws -> Coi_Placements_V1_SearchOffersReply {
        let size = try PageToken.size(request.pageSize)
        let after = try PageToken.decode(request.pageToken) ?? 0
        guard !request.seasonID.isEmpty else { throw RPCError.invalidField("season_id", "is required") }
        if request.includeUnpublished { try context.require("placements.manage", in: "season:\(request.seasonID)") }
        let region = try Denmark.requireRegion(request.region, field: "region")
        let regionCode = region?.code ?? 0
        if request.level != .unspecified { _ = try Validation.level(request.level, "level") }
        let words = DanishFolding.words(request.query) + DanishFolding.words(request.sector)
        guard words.count <= 10 else { throw RPCError.invalidField("query", "at most 10 words, got \(words.count)") }
        let levelCode = request.level.rawValue
        return try await read { db in
            _ = try SeasonRecord.require(db, id: request.seasonID)
            var sql = OfferRecord.select + " WHERE o.season_id = ? AND o.seq > ? AND (? OR o.published = 1) AND o.exchange_id = ''"
                + " AND (? = 0 OR o.region_code = ?)"
                + " AND (? = 0 OR o.level = ?)"
            var arguments: StatementArguments = [request.seasonID, after, request.includeUnpublished, regionCode, regionCode,
                                                 levelCode, levelCode]
            for word in words {
                // Bound, never spliced; LIKE's wildcards in the word are escaped.
                sql += " AND o.search_text LIKE ? ESCAPE '\\'"
                let escaped = word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_")
                arguments += ["% \(escaped)%"]
            }
            if request.freeOnly { sql += " AND (SELECT COUNT(*) FROM placements_results r WHERE r.offer_id = o.id) < o.capacity" }
            sql += " ORDER BY o.seq LIMIT ?"
            arguments += [size + 1]
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            return Coi_Placements_V1_SearchOffersReply.with {
                $0.offers = rows.prefix(size).map(OfferRecord.message)
                if rows.count > size, let last = rows.prefix(size).last { $0.nextPageToken = PageToken.encode(last["seq"]) }
            }
        }
    }
}
