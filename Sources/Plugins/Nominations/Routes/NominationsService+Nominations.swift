import COIPluginKit
import COIProto
import COIWire
import GRDB

extension NominationsService {
    func registerNominations(_ router: inout Router) {
        router.unary(Coi_Nominations_V1_Nominations.Method.submit, .write("nominations.nominate")) { (request: Coi_Nominations_V1_SubmitNominationRequest, context) in
            let account = try context.requireAccount()
            let given = try NominationContent(request, nominator: account)
            let id = Identifier.make("nom")
            context.audit.target = "nomination:\(id)"
            let defaultLimit = self.settings.nominatorLimit
            let now = Timestamp.now()
            let (content, duplicate) = try await self.write { db -> (NominationContent, String?) in
                let campaign = try CampaignRecord.require(db, id: request.campaignID)
                try campaign.require([.nominationsOpen], for: "submitting nominations")
                var content = given
                try content.check(for: campaign, db: db)
                let limit = campaign.nominatorLimit > 0 ? campaign.nominatorLimit : defaultLimit
                let made = try Int.cachedOne(db, sql: """
                    SELECT COUNT(*) FROM nominations_nominations WHERE nominator_id = ? AND campaign_id = ? AND state != ?
                    """, arguments: [account.id, campaign.id, Coi_Nominations_V1_NominationState.withdrawn.rawValue]) ?? 0
                guard made < limit else {
                    throw RPCError(.resourceExhausted, "you have \(made) nominations in campaign \(campaign.id); the limit is \(limit) "
                                   + "(withdraw one to make another)", reason: "NOMINATOR_LIMIT")
                }
                let duplicate = try content.duplicate(in: campaign.id, submittedBefore: nil, db: db)
                try db.run(sql: """
                    INSERT INTO nominations_nominations (id, campaign_id, nominator_id, workplace, municipality_code, region_code, title,
                        title_key, idea, difference, origin, origin_wiki_case, state, duplicate_of, submitted_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, campaign.id, account.id, content.workplace, content.municipality.code,
                                     content.municipality.regionCode, content.title, content.titleKey, content.idea,
                                     content.difference, content.origin, content.originWikiCase,
                                     Coi_Nominations_V1_NominationState.submitted.rawValue, duplicate ?? "", now, now])
                try content.saveNominees(id: id, campaignID: campaign.id, keepingConsentOf: [], db: db)
                try Events.append(db, campaignID: campaign.id, kind: "nomination.submitted", subject: id,
                                  detail: content.municipality.region.id, time: now)
                return (content, duplicate)
            }
            return content.submitted(id: id, campaignID: request.campaignID, nominator: account, duplicateOf: duplicate, now: now)
        }
        router.unary(Coi_Nominations_V1_Nominations.Method.get, .read("nominations.read")) { (request: Coi_Nominations_V1_GetNominationRequest, context) in
            try await self.read { db in
                let record = try NominationRecord.require(db, id: request.id, field: "id")
                let campaign = try CampaignRecord.require(db, id: record.campaignID)
                let viewer = try Viewer.of(context, campaignID: campaign.id, db: db)
                try record.requireVisible(to: viewer)
                return record.message(for: viewer, blind: campaign.blindReview)
            }
        }
        router.unary(Coi_Nominations_V1_Nominations.Method.list, .read("nominations.read")) { (request: Coi_Nominations_V1_ListNominationsRequest, context) in
            try await self.list(request, context)
        }
        router.unary(Coi_Nominations_V1_Nominations.Method.update, .write("nominations.nominate")) { (request: Coi_Nominations_V1_UpdateNominationRequest, context) in
            let account = try context.requireAccount()
            let mask = try Validation.mask(request.updateMask, known: ["title", "idea", "difference", "origin", "origin_wiki_case",
                                                                       "workplace", "municipality_code", "nominees"])
            context.audit.target = "nomination:\(request.id)"
            return try await self.write { db in
                let record = try NominationRecord.require(db, id: request.id, field: "id")
                let campaign = try CampaignRecord.require(db, id: record.campaignID)
                guard record.nominatorID == account.id else {
                    throw RPCError(.permissionDenied, "only the nominator may edit nomination \(record.id)", reason: "NOT_NOMINATOR")
                }
                try campaign.require([.nominationsOpen], for: "editing a nomination")
                try Validation.version(request.version, stored: record.version, what: "nomination \(record.id)")
                let merged = Coi_Nominations_V1_SubmitNominationRequest.with {
                    $0.campaignID = campaign.id
                    $0.nominees = mask.contains("nominees") ? request.nominees
                        : record.nominees.map { nominee in .with { $0.name = nominee.name; $0.accountID = nominee.accountID } }
                    $0.workplace = mask.contains("workplace") ? request.workplace : record.workplace
                    $0.municipalityCode = mask.contains("municipality_code") ? request.municipalityCode : Int32(record.municipalityCode)
                    $0.title = mask.contains("title") ? request.title : record.title
                    $0.idea = mask.contains("idea") ? request.idea : record.idea
                    $0.difference = mask.contains("difference") ? request.difference : record.difference
                    $0.origin = mask.contains("origin") ? request.origin : record.origin
                    $0.originWikiCase = mask.contains("origin_wiki_case") ? request.originWikiCase : record.originWikiCase
                }
                var content = try NominationContent(merged, nominator: account)
                try content.check(for: campaign, previousWikiCase: record.originWikiCase, db: db)
                let duplicate = try content.duplicate(in: campaign.id, submittedBefore: record.seq, db: db)
                try db.run(sql: """
                    UPDATE nominations_nominations SET workplace = ?, municipality_code = ?, region_code = ?, title = ?, title_key = ?,
                        idea = ?, difference = ?, origin = ?, origin_wiki_case = ?, duplicate_of = ?, updated_at = ?, version = version + 1
                    WHERE id = ?
                    """, arguments: [content.workplace, content.municipality.code, content.municipality.regionCode, content.title,
                                     content.titleKey, content.idea, content.difference, content.origin,
                                     content.originWikiCase, duplicate ?? "", Timestamp.now(), record.id])
                try content.saveNominees(id: record.id, campaignID: campaign.id, keepingConsentOf: record.nominees, db: db)
                let viewer = Viewer(accountID: account.id, seesAll: false, juror: false)
                return try NominationRecord.require(db, id: record.id).message(for: viewer, blind: false)
            }
        }
        router.unary(Coi_Nominations_V1_Nominations.Method.withdraw, .write("nominations.nominate")) { (request: Coi_Nominations_V1_WithdrawNominationRequest, context) in
            // A manager (also a local admin without an account) withdraws for the campaign, e.g. when a
            // nominee declines; the audit log names who did it.
            let account = context.principal.account
            context.audit.target = "nomination:\(request.id)"
            context.audit.reason = try TextRules.line(request.reason, field: "reason")
            return try await self.write { db in
                let record = try NominationRecord.require(db, id: request.id, field: "id")
                let campaign = try CampaignRecord.require(db, id: record.campaignID)
                guard record.nominatorID == account?.id || context.principal.can("nominations.manage", in: "campaign:\(campaign.id)") else {
                    throw RPCError(.permissionDenied, "only the nominator may withdraw nomination \(record.id)", reason: "NOT_NOMINATOR")
                }
                try campaign.require([.nominationsOpen, .screening, .jury], for: "withdrawing a nomination")
                guard record.state != .withdrawn else {
                    throw RPCError(.failedPrecondition, "nomination \(record.id) is already WITHDRAWN", reason: "WRONG_STATE")
                }
                try db.run(sql: "UPDATE nominations_nominations SET state = ?, state_reason = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                               arguments: [Coi_Nominations_V1_NominationState.withdrawn.rawValue, request.reason, Timestamp.now(), record.id])
                try Events.append(db, campaignID: campaign.id, kind: "nomination.withdrawn", subject: record.id)
                let viewer = try Viewer.of(context, campaignID: campaign.id, db: db)
                return try NominationRecord.require(db, id: record.id).message(for: viewer, blind: campaign.blindReview)
            }
        }
        router.unary(Coi_Nominations_V1_Nominations.Method.consent, .write("nominations.nominate")) { (request: Coi_Nominations_V1_ConsentRequest, context) in
            context.audit.target = "nomination:\(request.nominationID)"
            return try await self.write { db in
                let record = try NominationRecord.require(db, id: request.nominationID)
                let campaign = try CampaignRecord.require(db, id: record.campaignID)
                let viewer = try Viewer.of(context, campaignID: campaign.id, db: db)
                try record.requireVisible(to: viewer)
                guard record.nominees.indices.contains(Int(request.nomineeIndex)) else {
                    throw RPCError.invalidField("nominee_index", "must be 0–\(record.nominees.count - 1), is \(request.nomineeIndex)")
                }
                let nominee = record.nominees[Int(request.nomineeIndex)]
                let isNominee = !nominee.accountID.isEmpty && nominee.accountID == context.principal.account?.id
                // Nominees without an account give consent to the campaign team, who record it.
                guard isNominee || context.principal.can("nominations.screen", in: "campaign:\(campaign.id)") else {
                    throw RPCError(.permissionDenied, nominee.accountID.isEmpty
                                   ? "this nominee has no account; a screener records their consent"
                                   : "only the nominee (account \(nominee.accountID)) may consent", reason: "NOT_NOMINEE")
                }
                try campaign.require([.nominationsOpen, .screening, .jury, .resultsPublished], for: "consenting")
                if nominee.consentedAt.isEmpty {
                    try db.run(sql: "UPDATE nominations_nominees SET consented_at = ? WHERE nomination_id = ? AND position = ?",
                                   arguments: [Timestamp.now(), record.id, request.nomineeIndex])
                    let updated = try NominationRecord.require(db, id: record.id)
                    if updated.isPublic {
                        try Events.append(db, campaignID: campaign.id, kind: "nomination.published", subject: record.id,
                                          detail: Denmark.region(code: record.regionCode)?.id ?? "")
                    }
                }
                return try NominationRecord.require(db, id: record.id).message(for: viewer, blind: campaign.blindReview)
            }
        }
    }

    /// Lists a campaign's nominations that the caller may see.
    func list(_ request: Coi_Nominations_V1_ListNominationsRequest, _ context: RequestContext) async throws
        -> Coi_Nominations_V1_ListNominationsReply {
        let size = try PageToken.size(request.pageSize)
        let after = try PageToken.decode(request.pageToken) ?? 0
        let region = try Validation.region(request.region, "region")
        if request.state != .unspecified, Coi_Nominations_V1_NominationState(rawValue: request.state.rawValue) == nil {
            throw RPCError.invalidField("state", "unknown state \(request.state.rawValue)")
        }
        return try await read { db in
            let campaign = try CampaignRecord.require(db, id: request.campaignID)
            let viewer = try Viewer.of(context, campaignID: campaign.id, db: db)
            if request.includeHidden && !viewer.seesAll {
                throw RPCError(.permissionDenied, "include_hidden needs nominations.screen or nominations.moderate in campaign:\(campaign.id)",
                               reason: "PERMISSION_DENIED")
            }
            var clause = "WHERE n.campaign_id = ? AND n.seq > ?"
            var arguments: StatementArguments = [campaign.id, after]
            if request.state != .unspecified {
                clause += " AND n.state = ?"
                _ = arguments.append(contentsOf: [request.state.rawValue])
            }
            if region != 0 {
                clause += " AND n.region_code = ?"
                _ = arguments.append(contentsOf: [region])
            }
            if request.duplicatesOnly { clause += " AND n.duplicate_of != ''" }
            if request.mine {
                clause += " AND n.nominator_id = ?"
                _ = arguments.append(contentsOf: [viewer.accountID ?? "-"])
            }
            if viewer.seesAll || viewer.juror {
                if !request.includeHidden { clause += " AND n.hidden = 0" }
            } else {
                // Public: consented by every nominee, not hidden, not withdrawn or ineligible; or the caller's own.
                clause += """
                     AND (n.nominator_id = ? OR EXISTS (SELECT 1 FROM nominations_nominees m WHERE m.nomination_id = n.id AND m.account_id = ?)
                          OR (n.hidden = 0 AND n.state NOT IN (?, ?)
                              AND NOT EXISTS (SELECT 1 FROM nominations_nominees m WHERE m.nomination_id = n.id AND m.consented_at = '')))
                    """
                _ = arguments.append(contentsOf: [viewer.accountID ?? "-", viewer.accountID ?? "-",
                                                  Coi_Nominations_V1_NominationState.withdrawn.rawValue,
                                                  Coi_Nominations_V1_NominationState.ineligible.rawValue])
            }
            clause += " ORDER BY n.seq LIMIT ?"
            _ = arguments.append(contentsOf: [size + 1])
            var records = try NominationRecord.fetch(db, clause, arguments)
            var reply = Coi_Nominations_V1_ListNominationsReply()
            if records.count > size {
                records.removeLast()
                reply.nextPageToken = PageToken.encode(records.last!.seq)
            }
            reply.nominations = records.map { $0.message(for: viewer, blind: campaign.blindReview) }
            return reply
        }
    }
}
