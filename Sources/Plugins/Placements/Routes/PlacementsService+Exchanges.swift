import COIPluginKit
import COIProto
import COIWire
import GRDB

extension PlacementsService {
    /// Phases in which exchanges are proposed, answered and placed: they happen outside the
    /// matching, so anywhere before the confirmation deadline.
    static let exchangePhases: [SeasonPhase] = [.draft, .offersOpen, .applicationsOpen, .matching, .matched]

    func registerExchanges(_ router: inout Router) {
        router.unary(Coi_Placements_V1_Exchanges.Method.propose, .write("placements.apply")) { (request: Coi_Placements_V1_ProposeExchangeRequest, context) in
            _ = try context.requireAccount()
            guard (1...5).contains(request.days) else { throw RPCError.invalidField("days", "must be 1–5, is \(request.days)") }
            let note = try Validation.text(request.note, "note", limit: 1000, required: false)
            guard !request.partnerSeekerID.isEmpty else { throw RPCError.invalidField("partner_seeker_id", "is required") }
            guard request.partnerSeekerID != request.seekerID else {
                throw RPCError.invalidField("partner_seeker_id", "must be the other person's seeker registration, not your own")
            }
            let id = Identifier.make("exc")
            context.audit.target = "exchange:\(id)"
            return try await self.write { db in
                let seeker = try SeekerRecord.require(db, id: request.seekerID)
                guard SeekerRecord.mayAccess(seeker, context, managerToo: false) else {
                    throw RPCError(.permissionDenied, "\(context.principal.caller) is not seeker \(request.seekerID)", reason: "NOT_SEEKER")
                }
                let partner = try SeekerRecord.require(db, id: request.partnerSeekerID, field: "partner_seeker_id")
                let season = try SeasonRecord.require(db, id: seeker["season_id"])
                guard partner["season_id"] as String == season.id else {
                    throw RPCError.invalidField("partner_seeker_id", "\(request.partnerSeekerID) is a seeker of another season, not of \(season.id)")
                }
                try season.require(Self.exchangePhases, for: "an exchange")
                try Self.requireDifferentWorkplaces(seeker, partner)
                try Self.requireApproved(seeker, field: "seeker_id")
                if partner["approval"] as Int == ApprovalCode.declined {
                    throw RPCError(.failedPrecondition, "\(partner["name"] as String)'s home manager declined their placement; no exchange without "
                                   + "approval", reason: "NOT_APPROVED")
                }
                for row in [seeker, partner] { try Self.requireFree(db, row) }
                try db.run(sql: """
                    INSERT INTO placements_exchanges (id, season_id, seeker_id, partner_id, days, note, status, reason, seeker_offer_id,
                        partner_offer_id, created_at, decided_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, '', '', '', ?, '')
                    """, arguments: [id, season.id, request.seekerID, request.partnerSeekerID, request.days, note, ExchangeRecord.proposed,
                                     Timestamp.now()])
                return ExchangeRecord.message(try ExchangeRecord.require(db, id: id))
            }
        }
        router.unary(Coi_Placements_V1_Exchanges.Method.answer, .write("placements.apply")) { (request: Coi_Placements_V1_AnswerExchangeRequest, context) in
            let caller = try context.requireAccount()
            let reason = try Validation.text(request.reason, "reason", limit: 1000, required: !request.accept)
            context.audit.target = "exchange:\(request.id)"
            context.audit.reason = reason
            return try await self.write { db in
                let exchange = try ExchangeRecord.require(db, id: request.id)
                // The partner answers for themself; nobody answers for them.
                guard exchange["partner_account"] as String == caller.id else {
                    throw RPCError(.permissionDenied, "only \(exchange["partner_name"] as String), who was asked, answers exchange \(request.id)",
                                   reason: "NOT_PARTNER")
                }
                guard exchange["status"] as Int == ExchangeRecord.proposed else {
                    throw RPCError(.failedPrecondition, "exchange \(request.id) is no longer awaiting an answer", reason: "NOT_PROPOSED")
                }
                let now = Timestamp.now()
                guard request.accept else {
                    try db.run(sql: "UPDATE placements_exchanges SET status = ?, reason = ?, decided_at = ? WHERE id = ?",
                               arguments: [Coi_Placements_V1_ExchangeStatus.declined.rawValue, reason, now, request.id])
                    return ExchangeRecord.message(try ExchangeRecord.require(db, id: request.id))
                }
                let season = try SeasonRecord.require(db, id: exchange["season_id"])
                try season.require(Self.exchangePhases, for: "placing an exchange")
                let seeker = try SeekerRecord.require(db, id: exchange["seeker_id"])
                let partner = try SeekerRecord.require(db, id: exchange["partner_id"])
                try Self.requireApproved(seeker, field: "id")
                try Self.requireApproved(partner, field: "id")
                for row in [seeker, partner] { try Self.requireFree(db, row, except: request.id) }
                // Each visits the other's workplace: an unpublished offer per direction, hosted by the other.
                let days: Int = exchange["days"]
                let seekerOffer = try Self.exchangeOffer(db, exchangeID: request.id, season: season, host: partner, days: days,
                                                         note: exchange["note"])
                let partnerOffer = try Self.exchangeOffer(db, exchangeID: request.id, season: season, host: seeker, days: days,
                                                          note: exchange["note"])
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO placements_results (season_id, seeker_id, offer_id, choice, host_rank, source, reason, placed_at)
                    VALUES (?, ?, ?, 0, 0, 'exchange', 0, ?)
                    ON CONFLICT (seeker_id) DO UPDATE SET offer_id = excluded.offer_id, choice = 0, host_rank = 0, source = 'exchange',
                        reason = 0, placed_at = excluded.placed_at
                    """)
                try insert.execute(arguments: [season.id, seeker["id"] as String, seekerOffer, now])
                try insert.execute(arguments: [season.id, partner["id"] as String, partnerOffer, now])
                try db.run(sql: """
                    UPDATE placements_exchanges SET status = ?, seeker_offer_id = ?, partner_offer_id = ?, decided_at = ? WHERE id = ?
                    """, arguments: [ExchangeRecord.placed, seekerOffer, partnerOffer, now, request.id])
                try Events.append(db, seasonID: season.id, kind: "exchange.placed", subject: request.id, detail: "2 placements")
                return ExchangeRecord.message(try ExchangeRecord.require(db, id: request.id))
            }
        }
        router.unary(Coi_Placements_V1_Exchanges.Method.cancel, .write("placements.apply")) { (request: Coi_Placements_V1_CancelExchangeRequest, context) in
            let reason = try Validation.text(request.reason, "reason", limit: 1000)
            context.audit.target = "exchange:\(request.id)"
            context.audit.reason = reason
            return try await self.write { db in
                let exchange = try ExchangeRecord.require(db, id: request.id)
                guard ExchangeRecord.mayAccess(exchange, context) else {
                    throw RPCError(.permissionDenied, "\(context.principal.caller) is neither party to exchange \(request.id) nor its coordinator",
                                   reason: "NOT_PARTY")
                }
                let status: Int = exchange["status"]
                guard status == ExchangeRecord.proposed || status == ExchangeRecord.placed else {
                    throw RPCError(.failedPrecondition, "exchange \(request.id) is already declined or cancelled", reason: "NOT_OPEN")
                }
                let season = try SeasonRecord.require(db, id: exchange["season_id"])
                if status == ExchangeRecord.placed {
                    try season.require(Self.exchangePhases, for: "cancelling a placed exchange")
                    let offers = [exchange["seeker_offer_id"] as String, exchange["partner_offer_id"] as String]
                    for offer in offers {
                        try db.run(sql: "DELETE FROM placements_agreements WHERE offer_id = ?", arguments: [offer])
                        try db.run(sql: "DELETE FROM placements_results WHERE offer_id = ?", arguments: [offer])
                        try db.run(sql: "DELETE FROM placements_offers WHERE id = ? AND exchange_id = ?", arguments: [offer, request.id])
                    }
                }
                try db.run(sql: """
                    UPDATE placements_exchanges SET status = ?, reason = ?, seeker_offer_id = '', partner_offer_id = '', decided_at = ? WHERE id = ?
                    """, arguments: [Coi_Placements_V1_ExchangeStatus.cancelled.rawValue, reason, Timestamp.now(), request.id])
                if status == ExchangeRecord.placed {
                    try Events.append(db, seasonID: season.id, kind: "exchange.cancelled", subject: request.id)
                }
                return ExchangeRecord.message(try ExchangeRecord.require(db, id: request.id))
            }
        }
        router.unary(Coi_Placements_V1_Exchanges.Method.get, .read("placements.read")) { (request: Coi_Placements_V1_GetExchangeRequest, context) in
            try await self.read { db in
                let row = try ExchangeRecord.require(db, id: request.id)
                guard ExchangeRecord.mayAccess(row, context) else { throw RPCError(.notFound, "no exchange \(request.id)", reason: "NOT_FOUND") }
                return ExchangeRecord.message(row)
            }
        }
        router.unary(Coi_Placements_V1_Exchanges.Method.list, .read("placements.read")) { (request: Coi_Placements_V1_ListExchangesRequest, context) in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            let coordinator = context.principal.can("placements.manage", in: "season:\(request.seasonID)")
            let me = context.principal.account?.id ?? ""
            return try await self.read { db in
                _ = try SeasonRecord.require(db, id: request.seasonID)
                let rows = try Row.fetchAll(db, sql: ExchangeRecord.select + """
                     WHERE e.season_id = ? AND e.seq > ? AND (? = 0 OR e.status = ?) AND (? OR s.account_id = ? OR p.account_id = ?)
                    ORDER BY e.seq LIMIT ?
                    """, arguments: [request.seasonID, after, request.status.rawValue, request.status.rawValue, coordinator, me, me, size + 1])
                return Coi_Placements_V1_ListExchangesReply.with {
                    $0.exchanges = rows.prefix(size).map(ExchangeRecord.message)
                    if rows.count > size, let last = rows.prefix(size).last { $0.nextPageToken = PageToken.encode(last["seq"]) }
                }
            }
        }
    }

    /// An exchange is between two workplaces: the same workplace (Danish-folded) is refused.
    static func requireDifferentWorkplaces(_ seeker: Row, _ partner: Row) throws {
        let mine: String = seeker["home_workplace"], theirs: String = partner["home_workplace"]
        guard DanishFolding.key(mine) != DanishFolding.key(theirs) else {
            throw RPCError.invalidField("partner_seeker_id", "works at the same workplace (\(theirs)); an exchange is between two workplaces")
        }
    }

    /// No placement without the home manager's approval.
    static func requireApproved(_ seeker: Row, field: String) throws {
        guard seeker["approval"] as Int == ApprovalCode.approved else {
            let name: String = seeker["name"], manager: String = seeker["manager_name"]
            throw RPCError(.failedPrecondition, "\(name)'s home manager (\(manager)) has not approved the placement; no exchange without it",
                           reason: "NOT_APPROVED", fieldViolations: [.init(field: field, description: "not approved")])
        }
    }

    /// Fails when the seeker is placed already or is party to another open exchange.
    static func requireFree(_ db: Database, _ seeker: Row, except exchangeID: String = "") throws {
        let id: String = seeker["id"], name: String = seeker["name"]
        if try Bool.cachedOne(db, sql: "SELECT 1 FROM placements_results WHERE seeker_id = ? AND offer_id IS NOT NULL", arguments: [id]) ?? false {
            throw RPCError(.failedPrecondition, "\(name) (\(id)) is already placed", reason: "ALREADY_PLACED")
        }
        if let open = try String.fetchOne(db, sql: """
            SELECT id FROM placements_exchanges WHERE (seeker_id = ?1 OR partner_id = ?1) AND status IN (?2, ?3) AND id != ?4 LIMIT 1
            """, arguments: [id, ExchangeRecord.proposed, ExchangeRecord.placed, exchangeID]) {
            throw RPCError(.alreadyExists, "\(name) (\(id)) is already party to exchange \(open)", reason: "ALREADY_EXISTS")
        }
    }

    /// The unpublished offer for one direction of an exchange: the visit to `host`'s workplace,
    /// with `host` as its contact.
    static func exchangeOffer(_ db: Database, exchangeID: String, season: SeasonRecord, host: Row, days: Int, note: String) throws -> String {
        let id = Identifier.make("off")
        let workplace: String = host["home_workplace"]
        let now = Timestamp.now()
        try db.run(sql: """
            INSERT INTO placements_offers (id, season_id, ref, title, host_workplace, level, municipality_code, region_code, sector, description,
                capacity, days, dates, conditions, contact_id, published, search_text, created_at, updated_at, exchange_id)
            VALUES (?, ?, '', ?, ?, ?, ?, ?, '', ?, 1, ?, '', '', ?, 0, '', ?, ?, ?)
            """, arguments: [id, season.id, "Udveksling: \(workplace)", workplace, host["level"] as Int, host["municipality_code"] as Int,
                             host["region_code"] as Int, note, days, host["account_id"] as String, now, now, exchangeID])
        return id
    }
}
