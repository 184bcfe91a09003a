import COIPluginKit
import COIProto
import COIWire
import GRDB

extension NominationsService {
    func registerResults(_ router: inout Router) {
        router.unary(Coi_Nominations_V1_Results.Method.compute, .read("nominations.manage")) { (request: Coi_Nominations_V1_ComputeResultsRequest, context) in
            try context.require("nominations.manage", in: "campaign:\(request.campaignID)")
            let alternates = self.settings.alternates
            let minSheets = self.settings.minSheets
            return try await self.read { db in
                let campaign = try CampaignRecord.require(db, id: request.campaignID)
                if try Self.resultsPublished(db, campaign.id) { return try Self.storedResults(db, campaign, publicView: false) }
                try campaign.require([.jury, .resultsPublished], for: "computing results")
                let computed = try Self.compute(db, campaign, alternates: alternates)
                var results = Self.message(campaign, computed, published: nil, publicView: false)
                results.warnings = Self.warnings(computed, minSheets: minSheets)
                results.minSheets = Int32(minSheets)
                return results
            }
        }
        router.unary(Coi_Nominations_V1_Results.Method.publish, .write("nominations.manage")) { (request: Coi_Nominations_V1_PublishResultsRequest, context) in
            try context.require("nominations.manage", in: "campaign:\(request.campaignID)")
            context.audit.target = "campaign:\(request.campaignID)"
            let alternates = self.settings.alternates
            let minSheets = self.settings.minSheets
            let caller = context.principal.caller
            return try await self.write { db in
                let campaign = try CampaignRecord.require(db, id: request.campaignID)
                let phase = try campaign.require([.jury, .resultsPublished], for: "publishing results")
                if try Self.resultsPublished(db, campaign.id) {
                    throw RPCError(.failedPrecondition, "campaign \(campaign.id) is in phase \(phase.name) and its results are already "
                                   + "published and frozen", reason: "RESULTS_FROZEN")
                }
                let computed = try Self.compute(db, campaign, alternates: alternates)
                guard computed.outcome.regions.contains(where: { $0.winner != nil }) else {
                    throw RPCError(.failedPrecondition, "campaign \(campaign.id) has no scored shortlisted nominations; nothing to publish",
                                   reason: "NO_SCORES")
                }
                let warnings = Self.warnings(computed, minSheets: minSheets)
                guard warnings.isEmpty else {
                    throw RPCError(.failedPrecondition, "campaign \(campaign.id) cannot publish its results yet: "
                                   + warnings.map(\.message).joined(separator: "; "), reason: "WINNERS_NOT_READY")
                }
                let now = Timestamp.now()
                try Self.freeze(db, campaign, computed, now: now, by: caller)
                try db.run(sql: """
                    UPDATE nominations_campaigns SET phase = ?, phase_set_at = ?, version = version + 1, updated_at = ?, updated_by = ?
                    WHERE id = ?
                    """, arguments: [CampaignPhase.resultsPublished.rawValue, now, now, caller, campaign.id])
                try Events.append(db, campaignID: campaign.id, kind: "phase.changed", subject: campaign.id, detail: CampaignPhase.resultsPublished.name)
                try Events.append(db, campaignID: campaign.id, kind: "results.published", subject: campaign.id,
                                  detail: computed.outcome.nationalWinner ?? "")
                return try Self.storedResults(db, try CampaignRecord.require(db, id: campaign.id), publicView: false)
            }
        }
        router.unary(Coi_Nominations_V1_Results.Method.get, .read("nominations.read")) { (request: Coi_Nominations_V1_GetResultsRequest, context) in
            try await self.read { db in
                let campaign = try CampaignRecord.require(db, id: request.campaignID)
                guard try Self.resultsPublished(db, campaign.id) else {
                    throw RPCError(.failedPrecondition, "campaign \(campaign.id) is in phase \(campaign.phase().phase.name); its results "
                                   + "are not published yet", reason: "RESULTS_NOT_PUBLISHED")
                }
                let viewer = try Viewer.of(context, campaignID: campaign.id, db: db)
                return try Self.storedResults(db, campaign, publicView: !viewer.seesAll)
            }
        }
    }

    /// What the engine needs beside the outcome to describe it.
    struct Computed {
        var outcome: ResultsEngine.Outcome
        var titles: [String: (title: String, submittedAt: String, isPublic: Bool)]
        /// Per nomination, the positions of nominees who have not consented.
        var unconsented: [String: [Int]] = [:]
    }

    /// Runs the engine on the campaign's shortlisted nominations and its jurors' sheets.
    static func compute(_ db: Database, _ campaign: CampaignRecord, alternates: Int) throws -> Computed {
        var entries: [ResultsEngine.Entry] = []
        var position: [String: Int] = [:]
        var titles: [String: (title: String, submittedAt: String, isPublic: Bool)] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT n.id, n.region_code, n.endorsements, n.submitted_at, n.title,
                   NOT EXISTS (SELECT 1 FROM nominations_nominees m WHERE m.nomination_id = n.id AND m.consented_at = '') AS consented
            FROM nominations_nominations n WHERE n.campaign_id = ? AND n.state = ? AND n.hidden = 0 ORDER BY n.seq
            """, arguments: [campaign.id, Coi_Nominations_V1_NominationState.shortlisted.rawValue])
        while let row = try rows.next() {
            let id: String = row["id"]
            position[id] = entries.count
            entries.append(ResultsEngine.Entry(id: id, regionCode: row["region_code"], endorsements: row["endorsements"],
                                               submittedAt: row["submitted_at"], nomineeKeys: []))
            titles[id] = (row["title"], row["submitted_at"], row["consented"])
        }
        var unconsented: [String: [Int]] = [:]
        let keys = try Row.fetchCursor(db, sql: """
            SELECT nomination_id, position, name_key, consented_at FROM nominations_nominees WHERE campaign_id = ? ORDER BY nomination_id, position
            """, arguments: [campaign.id])
        while let row = try keys.next() {
            let id: String = row["nomination_id"]
            guard let index = position[id] else { continue }
            entries[index].nomineeKeys.append(row["name_key"])
            if (row["consented_at"] as String).isEmpty { unconsented[id, default: []].append(row["position"]) }
        }
        var sheets: [ResultsEngine.Sheet] = []
        let sheetRows = try Row.fetchCursor(db, sql: "SELECT juror_id, nomination_id, weighted FROM nominations_scores WHERE campaign_id = ?",
                                            arguments: [campaign.id])
        while let row = try sheetRows.next() {
            sheets.append(ResultsEngine.Sheet(juror: row[0], nomination: row[1], value: row[2]))
        }
        // Nobody wins twice: nominees who won an earlier campaign of the same kind are passed over.
        let previous = try String.cachedSet(db, sql: """
            SELECT m.name_key FROM nominations_nominees m JOIN nominations_nominations n ON n.id = m.nomination_id
            JOIN nominations_campaigns c ON c.id = n.campaign_id
            WHERE c.kind = ? AND c.id != ? AND n.state IN (?, ?)
            """, arguments: [campaign.kind.rawValue, campaign.id, Coi_Nominations_V1_NominationState.regionalWinner.rawValue,
                             Coi_Nominations_V1_NominationState.nationalWinner.rawValue])
        let outcome = ResultsEngine.compute(entries: entries, sheets: sheets, regionCodes: Denmark.regions.map(\.code),
                                            normalise: campaign.normalise, alternates: alternates, previousWinners: previous)
        return Computed(outcome: outcome, titles: titles, unconsented: unconsented)
    }

    /// Stores the outcome and moves the nominations to their final states.
    static func freeze(_ db: Database, _ campaign: CampaignRecord, _ computed: Computed, now: String, by caller: String) throws {
        let outcome = computed.outcome
        for region in outcome.regions {
            for (index, ranked) in region.ranking.enumerated() {
                let role = ranked.id == region.winner ? "winner" : region.alternates.contains(ranked.id) ? "alternate" : ""
                try db.run(sql: """
                    INSERT INTO nominations_results (campaign_id, region_code, rank, nomination_id, score, sheets, top_ranks, endorsements,
                        excluded, role) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [campaign.id, region.regionCode, index + 1, ranked.id, ranked.score, ranked.sheets, ranked.topRanks,
                                     ranked.endorsements, ranked.excluded, role])
            }
        }
        try db.run(sql: """
            INSERT INTO nominations_results_meta (campaign_id, normalised, national_winner_id, published_at, published_by) VALUES (?, ?, ?, ?, ?)
            """, arguments: [campaign.id, campaign.normalise, outcome.nationalWinner ?? "", now, caller])
        let winners = outcome.regions.compactMap(\.winner)
        try db.run(sql: "UPDATE nominations_nominations SET state = ?, updated_at = ?, version = version + 1 WHERE campaign_id = ? AND state = ?",
                       arguments: [Coi_Nominations_V1_NominationState.notSelected.rawValue, now, campaign.id,
                                   Coi_Nominations_V1_NominationState.shortlisted.rawValue])
        for winner in winners {
            let state: Coi_Nominations_V1_NominationState = winner == outcome.nationalWinner ? .nationalWinner : .regionalWinner
            try db.run(sql: "UPDATE nominations_nominations SET state = ? WHERE id = ?", arguments: [state.rawValue, winner])
        }
    }

    /// The frozen results.
    static func storedResults(_ db: Database, _ campaign: CampaignRecord, publicView: Bool) throws -> Coi_Nominations_V1_CampaignResults {
        guard let meta = try Row.cachedOne(db, sql: "SELECT * FROM nominations_results_meta WHERE campaign_id = ?", arguments: [campaign.id]) else {
            throw RPCError(.failedPrecondition, "campaign \(campaign.id) has no published results", reason: "RESULTS_NOT_PUBLISHED")
        }
        let rows = try Row.cachedAll(db, sql: """
            SELECT r.*, n.title, n.submitted_at,
                   NOT EXISTS (SELECT 1 FROM nominations_nominees m WHERE m.nomination_id = n.id AND m.consented_at = '') AS consented
            FROM nominations_results r JOIN nominations_nominations n ON n.id = r.nomination_id
            WHERE r.campaign_id = ? ORDER BY r.region_code, r.rank
            """, arguments: [campaign.id])
        var results = Coi_Nominations_V1_CampaignResults()
        results.campaignID = campaign.id
        results.normalised = meta["normalised"]
        results.published = true
        results.publishedAt = meta["published_at"]
        results.nationalWinnerID = meta["national_winner_id"]
        results.regions = Denmark.regions.map { region in
            var message = Coi_Nominations_V1_RegionResult()
            message.region = region.id
            message.regionName = region.name
            for row in rows where row["region_code"] as Int == region.code {
                let id: String = row["nomination_id"]
                let role: String = row["role"]
                if role == "winner" { message.winnerID = id }
                if role == "alternate" { message.alternates.append(id) }
                message.ranking.append(.with {
                    $0.rank = row["rank"]
                    $0.nominationID = id
                    $0.title = publicView && !(row["consented"] as Bool) ? "" : row["title"]
                    $0.region = region.id
                    $0.regionName = region.name
                    $0.score = row["score"]
                    $0.sheets = row["sheets"]
                    $0.topRanks = row["top_ranks"]
                    $0.endorsements = row["endorsements"]
                    $0.submittedAt = row["submitted_at"]
                    $0.excluded = row["excluded"]
                    $0.consented = row["consented"]
                })
            }
            return message
        }
        return results
    }

    /// A computed (not yet frozen) outcome as a message.
    static func message(_ campaign: CampaignRecord, _ computed: Computed, published: String?, publicView: Bool) -> Coi_Nominations_V1_CampaignResults {
        var results = Coi_Nominations_V1_CampaignResults()
        results.campaignID = campaign.id
        results.normalised = campaign.normalise
        results.published = published != nil
        results.publishedAt = published ?? ""
        results.nationalWinnerID = computed.outcome.nationalWinner ?? ""
        results.regions = computed.outcome.regions.map { region in
            let slug = Denmark.region(code: region.regionCode)?.id ?? ""
            let name = Denmark.region(code: region.regionCode)?.name ?? ""
            return .with {
                $0.region = slug
                $0.regionName = name
                $0.winnerID = region.winner ?? ""
                $0.alternates = region.alternates
                $0.ranking = region.ranking.enumerated().map { index, ranked in
                    let info = computed.titles[ranked.id]
                    return .with {
                        $0.rank = Int32(index + 1)
                        $0.nominationID = ranked.id
                        $0.title = publicView && info?.isPublic != true ? "" : info?.title ?? ""
                        $0.region = slug
                        $0.regionName = name
                        $0.score = ranked.score
                        $0.sheets = Int32(ranked.sheets)
                        $0.topRanks = Int32(ranked.topRanks)
                        $0.endorsements = Int32(ranked.endorsements)
                        $0.submittedAt = ranked.submittedAt
                        $0.excluded = ranked.excluded
                        $0.consented = info?.isPublic ?? false
                    }
                }
            }
        }
        return results
    }
}

extension NominationsService {
    /// What stops the computed winners from being published: a winner some nominee has not
    /// consented to (its name and title would be public), or one judged on fewer than `minSheets`
    /// sheets (recusals can leave a nomination with a single juror's opinion). Both are fixed by the
    /// campaign team (consent recorded, another juror seated), or by withdrawing the nomination, after
    /// which the region's next eligible nomination moves up by the usual rules.
    /// - Parameters:
    ///   - computed: The computed outcome.
    ///   - minSheets: The sheets a winner needs.
    /// - Returns: One warning per problem, in region order.
    static func warnings(_ computed: Computed, minSheets: Int) -> [Coi_Nominations_V1_ResultWarning] {
        var warnings: [Coi_Nominations_V1_ResultWarning] = []
        for region in computed.outcome.regions {
            guard let winner = region.winner, let ranked = region.ranking.first(where: { $0.id == winner }) else { continue }
            let slug = Denmark.region(code: region.regionCode)?.id ?? ""
            let name = Denmark.region(code: region.regionCode)?.name ?? slug
            let role = winner == computed.outcome.nationalWinner ? "national and \(name) winner" : "\(name) winner"
            if let missing = computed.unconsented[winner], !missing.isEmpty {
                let who = missing.map(String.init).joined(separator: ", ")
                warnings.append(.with {
                    $0.nominationID = winner
                    $0.region = slug
                    $0.problem = .missingConsent
                    $0.message = "\(winner) (\(role)) lacks the consent of nominee \(who): record it "
                        + "(coictl nominations consent \(winner) --nominee N), or withdraw the nomination and the next eligible one moves up"
                })
            }
            if ranked.sheets < minSheets {
                warnings.append(.with {
                    $0.nominationID = winner
                    $0.region = slug
                    $0.problem = .tooFewSheets
                    $0.message = "\(winner) (\(role)) has \(ranked.sheets) score sheet\(ranked.sheets == 1 ? "" : "s"), min_sheets is \(minSheets): "
                        + "seat another juror who is not recused to score it, or withdraw the nomination and the next eligible one moves up"
                })
            }
        }
        return warnings
    }
}
