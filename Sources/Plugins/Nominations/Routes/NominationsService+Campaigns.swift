import Foundation
import COIPluginKit
import COIProto
import COIWire
import GRDB

extension NominationsService {
    func registerCampaigns(_ router: inout Router) {
        router.unary(Coi_Nominations_V1_Campaigns.Method.create, .write("nominations.manage")) { (request: Coi_Nominations_V1_CreateCampaignRequest, context) in
            guard request.kind != .unspecified, Coi_Nominations_V1_CampaignKind(rawValue: request.kind.rawValue) != nil else {
                throw RPCError.invalidField("kind", "must be IDEA_AWARD or COPYCAT_AWARD")
            }
            guard (2000...2100).contains(request.year) else { throw RPCError.invalidField("year", "must be 2000–2100, is \(request.year)") }
            let title = try Validation.text(request.title, "title", limit: 200, as: .name)
            let prize = try Validation.text(request.prize, "prize", limit: 1000, required: false)
            let schedule = try Validation.schedule(request.schedule)
            let criteria = try Validation.criteria(request.criteria)
            guard (0...10_000).contains(request.nominatorLimit) else {
                throw RPCError.invalidField("nominator_limit", "must be 0 (the default) to 10000, is \(request.nominatorLimit)")
            }
            let id = Identifier.make("cmp")
            let caller = context.principal.caller
            context.audit.target = "campaign:\(id)"
            let created = try await self.write { db in
                if !request.allowDuplicateTitle {
                    try Self.refuseSameTitle(db, title: title, year: Int(request.year), excluding: nil)
                }
                let now = Timestamp.now()
                // No phase_set_at: DRAFT at creation is nobody's choice, so every scheduled date applies,
                // including dates already past when the campaign is created.
                try db.run(sql: """
                    INSERT INTO nominations_campaigns (id, kind, year, title, prize, phase, phase_set_at, blind_review, normalise,
                        nominator_limit, version, created_by, updated_by, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
                    """, arguments: [id, request.kind.rawValue, request.year, title, prize, CampaignPhase.draft.rawValue, "",
                                     request.blindReview, request.normaliseScores, request.nominatorLimit, caller, caller, now, now])
                try Self.saveSchedule(db, id, schedule)
                try Self.saveCriteria(db, id, criteria)
                try Events.append(db, campaignID: id, kind: "campaign.created", subject: id)
                return try CampaignRecord.require(db, id: id).message
            }
            self.schedulesChanged.publish()
            return created
        }
        router.unary(Coi_Nominations_V1_Campaigns.Method.get, .read("nominations.read")) { (request: Coi_Nominations_V1_GetCampaignRequest, _) in
            try await self.read { db in try CampaignRecord.require(db, id: request.id, field: "id").message }
        }
        router.unary(Coi_Nominations_V1_Campaigns.Method.list, .read("nominations.read")) { (request: Coi_Nominations_V1_ListCampaignsRequest, _) in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            let phase = request.phase == .unspecified ? nil : try Validation.phase(request.phase, "phase")
            return try await self.read { db -> Coi_Nominations_V1_ListCampaignsReply in
                var reply = Coi_Nominations_V1_ListCampaignsReply()
                // The phase depends on the clock, so it is filtered after loading; the scan goes on
                // until a page is full.
                var cursor = after
                var exhausted = false
                while reply.campaigns.count < size && !exhausted {
                    let rows = try Row.cachedAll(db, sql: """
                        SELECT * FROM nominations_campaigns WHERE seq > ? AND (? = 0 OR kind = ?) AND (? = 0 OR year = ?)
                        ORDER BY seq LIMIT ?
                        """, arguments: [cursor, request.kind.rawValue, request.kind.rawValue, request.year, request.year, size])
                    exhausted = rows.count < size
                    for (index, row) in rows.enumerated() {
                        cursor = row["seq"]
                        let record = try CampaignRecord(db, row: row)
                        if let phase, record.phase().phase != phase { continue }
                        reply.campaigns.append(record.message)
                        if reply.campaigns.count == size {
                            if index < rows.count - 1 { exhausted = false }
                            break
                        }
                    }
                }
                if !exhausted { reply.nextPageToken = PageToken.encode(cursor) }
                return reply
            }
        }
        router.unary(Coi_Nominations_V1_Campaigns.Method.update, .write("nominations.manage")) { (request: Coi_Nominations_V1_UpdateCampaignRequest, context) in
            let mask = try Validation.mask(request.updateMask, known: ["title", "prize", "schedule", "criteria", "blind_review",
                                                                       "normalise_scores", "nominator_limit"])
            let title = mask.contains("title") ? try Validation.text(request.title, "title", limit: 200, as: .name) : nil
            let prize = mask.contains("prize") ? try Validation.text(request.prize, "prize", limit: 1000, required: false) : nil
            let schedule = mask.contains("schedule") ? try Validation.schedule(request.schedule) : nil
            let criteria = mask.contains("criteria") ? try Validation.criteria(request.criteria) : nil
            if mask.contains("nominator_limit"), !(0...10_000).contains(request.nominatorLimit) {
                throw RPCError.invalidField("nominator_limit", "must be 0 (the default) to 10000, is \(request.nominatorLimit)")
            }
            context.audit.target = "campaign:\(request.id)"
            let caller = context.principal.caller
            let updated = try await self.write { db in
                var campaign = try CampaignRecord.require(db, id: request.id, field: "id")
                try Validation.version(request.version, stored: campaign.version, what: "campaign \(campaign.id)")
                try campaign.require(CampaignPhase.allCases.filter { $0 != .archived }, for: "changing a campaign")
                if criteria != nil || mask.contains("blind_review") || mask.contains("normalise_scores") {
                    // Jurors score against the rubric they were shown; changing it mid-jury would mix scales.
                    try campaign.require([.draft, .nominationsOpen, .screening], for: "changing the rubric or review rules")
                }
                if criteria != nil, try Int.cachedOne(db, sql: "SELECT COUNT(*) FROM nominations_scores WHERE campaign_id = ?",
                                                     arguments: [campaign.id]) ?? 0 > 0 {
                    throw RPCError(.failedPrecondition, "campaign \(campaign.id) already has scores; its rubric can no longer change",
                                   reason: "RUBRIC_FROZEN")
                }
                if let title, !request.allowDuplicateTitle {
                    try Self.refuseSameTitle(db, title: title, year: campaign.year, excluding: campaign.id)
                }
                if let title { campaign.title = title }
                if let prize { campaign.prize = prize }
                if mask.contains("blind_review") { campaign.blindReview = request.blindReview }
                if mask.contains("normalise_scores") { campaign.normalise = request.normaliseScores }
                if mask.contains("nominator_limit") { campaign.nominatorLimit = Int(request.nominatorLimit) }
                try db.run(sql: """
                    UPDATE nominations_campaigns SET title = ?, prize = ?, blind_review = ?, normalise = ?, nominator_limit = ?,
                        version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?
                    """, arguments: [campaign.title, campaign.prize, campaign.blindReview, campaign.normalise, campaign.nominatorLimit,
                                     Timestamp.now(), caller, campaign.id])
                if let schedule { try Self.saveSchedule(db, campaign.id, schedule) }
                if let criteria { try Self.saveCriteria(db, campaign.id, criteria) }
                return try CampaignRecord.require(db, id: campaign.id).message
            }
            if schedule != nil { self.schedulesChanged.publish() }
            return updated
        }
        router.unary(Coi_Nominations_V1_Campaigns.Method.setPhase, .write("nominations.manage")) { (request: Coi_Nominations_V1_SetPhaseRequest, context) in
            let phase = try Validation.phase(request.phase, "phase")
            let reason = try Validation.text(request.reason, "reason", limit: 500, required: request.force, as: .line)
            context.audit.target = "campaign:\(request.id)"
            context.audit.reason = reason
            let caller = context.principal.caller
            return try await self.write { db in
                let campaign = try CampaignRecord.require(db, id: request.id, field: "id")
                let current = campaign.phase().phase
                if phase == .resultsPublished {
                    throw RPCError(.failedPrecondition, "campaign \(campaign.id) is in phase \(current.name); results are published "
                                   + "with `Results/Publish`, which freezes them and sets RESULTS_PUBLISHED", reason: "WRONG_PHASE")
                }
                if phase < .resultsPublished, try Self.resultsPublished(db, campaign.id) {
                    throw RPCError(.failedPrecondition, "campaign \(campaign.id) is in phase \(current.name) and its results are "
                                   + "frozen; it can only be archived", reason: "RESULTS_FROZEN")
                }
                if phase < current {
                    let invalidated = try PhaseGuard.invalidated(db, campaignID: campaign.id, from: current, to: phase)
                    guard request.force else {
                        throw RPCError(.failedPrecondition, "moving campaign \(campaign.id) back from \(current.name) to \(phase.name) would "
                                       + "invalidate what was done since: \(invalidated); set force with a reason (coictl nominations campaigns phase "
                                       + "\(campaign.id) \(PhaseGuard.argument(phase)) --force --reason …) to do it anyway", reason: "BACKWARD_PHASE")
                    }
                    // The audit entry says that it was forced and what it affected, beside the admin's reason.
                    context.audit.reason = "forced back from \(current.name) to \(phase.name) despite \(invalidated): \(reason)"
                }
                let now = Timestamp.now()
                try db.run(sql: """
                    UPDATE nominations_campaigns SET phase = ?, phase_set_at = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?
                    """, arguments: [phase.rawValue, now, now, caller, campaign.id])
                try Events.append(db, campaignID: campaign.id, kind: "phase.changed", subject: campaign.id, detail: phase.name)
                return try CampaignRecord.require(db, id: campaign.id).message
            }
        }
    }

    /// Refuses a second campaign of the same year whose title folds to the same words (case, spacing,
    /// punctuation and æ/ae, ø/oe, å/aa aside): almost always the same campaign created twice.
    /// - Throws: ALREADY_EXISTS naming the campaign and the flag that confirms a second one.
    static func refuseSameTitle(_ db: Database, title: String, year: Int, excluding: String?) throws {
        let key = titleKey(title)
        let rows = try Row.cachedAll(db, sql: "SELECT id, title FROM nominations_campaigns WHERE year = ? AND id != ? ORDER BY seq",
                                    arguments: [year, excluding ?? ""])
        if let same = rows.first(where: { titleKey($0["title"]) == key }) {
            let id: String = same["id"]
            throw RPCError(.alreadyExists, "campaign \(id) \"\(same["title"] as String)\" (\(year)) already has this title; set "
                           + "allow_duplicate_title (coictl --allow-duplicate) if a second one is meant", reason: "CAMPAIGN_EXISTS")
        }
    }

    /// The folded title (accents dropped too: "Idé" is "ide"); a title of punctuation alone folds to
    /// nothing and is compared as written.
    private static func titleKey(_ title: String) -> String {
        let folded = TextKey.fold(title.folding(options: .diacriticInsensitive, locale: nil))
        return folded.isEmpty ? title.lowercased() : folded
    }

    static func saveSchedule(_ db: Database, _ id: String, _ schedule: [(phase: CampaignPhase, startsAt: String)]) throws {
        try db.run(sql: "DELETE FROM nominations_schedule WHERE campaign_id = ?", arguments: [id])
        for entry in schedule {
            try db.run(sql: "INSERT INTO nominations_schedule (campaign_id, phase, starts_at) VALUES (?, ?, ?)",
                           arguments: [id, entry.phase.rawValue, entry.startsAt])
        }
    }

    static func saveCriteria(_ db: Database, _ id: String, _ criteria: [Coi_Nominations_V1_Criterion]) throws {
        try db.run(sql: "DELETE FROM nominations_criteria WHERE campaign_id = ?", arguments: [id])
        for (position, criterion) in criteria.enumerated() {
            try db.run(sql: "INSERT INTO nominations_criteria (campaign_id, position, key, name, weight) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, position, criterion.key, criterion.name, criterion.weight])
        }
    }

    static func resultsPublished(_ db: Database, _ campaignID: String) throws -> Bool {
        try Bool.cachedOne(db, sql: "SELECT 1 FROM nominations_results_meta WHERE campaign_id = ?", arguments: [campaignID]) ?? false
    }
}
