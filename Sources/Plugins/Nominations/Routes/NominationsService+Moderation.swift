import COIPluginKit
import COIProto
import COIWire
import GRDB

extension NominationsService {
    func registerModeration(_ router: inout Router) {
        router.unary(Coi_Nominations_V1_Nominations.Method.screen, .write("nominations.screen")) { (request: Coi_Nominations_V1_ScreenRequest, context) in
            try context.require("nominations.screen", in: "campaign:\(request.campaignID)")
            guard (1...1000).contains(request.nominationIds.count) else {
                throw RPCError.invalidField("nomination_ids", "name 1–1000 nominations, got \(request.nominationIds.count)")
            }
            guard Set(request.nominationIds).count == request.nominationIds.count else {
                throw RPCError.invalidField("nomination_ids", "names a nomination twice")
            }
            let (target, allowed): (Coi_Nominations_V1_NominationState, Set<Coi_Nominations_V1_NominationState>)
            switch request.decision {
            case .markEligible: (target, allowed) = (.eligible, [.submitted, .eligible, .ineligible, .shortlisted])
            case .markIneligible: (target, allowed) = (.ineligible, [.submitted, .eligible, .ineligible, .shortlisted])
            case .shortlist: (target, allowed) = (.shortlisted, [.eligible, .shortlisted])
            default: throw RPCError.invalidField("decision", "must be MARK_ELIGIBLE, MARK_INELIGIBLE or SHORTLIST")
            }
            let reason = try Validation.text(request.reason, "reason", limit: 1000, required: target == .ineligible, as: .line)
            context.audit.target = request.nominationIds.count == 1 ? "nomination:\(request.nominationIds[0])"
                : "campaign:\(request.campaignID) (\(request.nominationIds.count) nominations)"
            context.audit.reason = reason
            return try await self.write { db in
                let campaign = try CampaignRecord.require(db, id: request.campaignID)
                try campaign.require([.screening], for: "screening")
                let now = Timestamp.now()
                for (index, id) in request.nominationIds.enumerated() {
                    guard let row = try Row.cachedOne(db, sql: "SELECT campaign_id, state FROM nominations_nominations WHERE id = ?",
                                                     arguments: [id]), row["campaign_id"] as String == campaign.id else {
                        throw RPCError(.notFound, "nomination_ids[\(index)]: no nomination \(id) in campaign \(campaign.id)",
                                       reason: "NOMINATION_NOT_FOUND")
                    }
                    let state = Coi_Nominations_V1_NominationState(rawValue: row["state"]) ?? .unspecified
                    guard allowed.contains(state) else {
                        throw RPCError(.failedPrecondition, "nomination_ids[\(index)]: nomination \(id) is \(state.name); "
                                       + "\(target.name) needs one of \(allowed.map(\.name).sorted().joined(separator: ", "))",
                                       reason: "WRONG_STATE")
                    }
                    try db.run(sql: "UPDATE nominations_nominations SET state = ?, state_reason = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                                   arguments: [target.rawValue, target == .ineligible ? reason : "", now, id])
                    if target == .shortlisted && state != .shortlisted {
                        try Events.append(db, campaignID: campaign.id, kind: "nomination.shortlisted", subject: id)
                    }
                }
                let viewer = try Viewer.of(context, campaignID: campaign.id, db: db)
                let placeholders = Array(repeating: "?", count: request.nominationIds.count).joined(separator: ",")
                return Coi_Nominations_V1_ScreenReply.with {
                    $0.nominations = (try? NominationRecord.fetch(db, "WHERE n.id IN (\(placeholders)) ORDER BY n.seq",
                                                                  StatementArguments(request.nominationIds)))?
                        .map { $0.message(for: viewer, blind: campaign.blindReview) } ?? []
                }
            }
        }
        router.unary(Coi_Nominations_V1_Nominations.Method.endorse, .write("nominations.nominate")) { (request: Coi_Nominations_V1_EndorseRequest, context) in
            let account = try context.requireAccount()
            context.audit.target = "nomination:\(request.nominationID)"
            return try await self.write { db in
                let record = try NominationRecord.require(db, id: request.nominationID)
                let campaign = try CampaignRecord.require(db, id: record.campaignID)
                let viewer = try Viewer.of(context, campaignID: campaign.id, db: db)
                try record.requireVisible(to: viewer)
                try campaign.require([.nominationsOpen, .screening, .jury], for: "endorsing")
                if request.withdraw {
                    try db.run(sql: "DELETE FROM nominations_endorsements WHERE nomination_id = ? AND account_id = ?",
                                   arguments: [record.id, account.id])
                    guard db.changesCount > 0 else {
                        throw RPCError(.notFound, "you have not endorsed nomination \(record.id)", reason: "ENDORSEMENT_NOT_FOUND")
                    }
                } else {
                    guard record.isPublic else {
                        throw RPCError(.failedPrecondition, "nomination \(record.id) is not public (it awaits consent, is hidden, "
                                       + "withdrawn or ineligible) and cannot be endorsed", reason: "NOT_PUBLIC")
                    }
                    guard !record.involves(account.id) else {
                        throw RPCError(.failedPrecondition, "you cannot endorse a nomination you made or are named in", reason: "OWN_NOMINATION")
                    }
                    try db.run(sql: "INSERT OR IGNORE INTO nominations_endorsements (nomination_id, account_id, created_at) VALUES (?, ?, ?)",
                                   arguments: [record.id, account.id, Timestamp.now()])
                    guard db.changesCount > 0 else {
                        throw RPCError(.alreadyExists, "you already endorse nomination \(record.id); one endorsement per person",
                                       reason: "ALREADY_ENDORSED")
                    }
                }
                try db.run(sql: """
                    UPDATE nominations_nominations SET endorsements = (SELECT COUNT(*) FROM nominations_endorsements WHERE nomination_id = ?)
                    WHERE id = ?
                    """, arguments: [record.id, record.id])
                let updated = try NominationRecord.require(db, id: record.id)
                try Events.append(db, campaignID: campaign.id, kind: "nomination.endorsed", subject: record.id, detail: "\(updated.endorsements)")
                return updated.message(for: viewer, blind: campaign.blindReview)
            }
        }
        router.unary(Coi_Nominations_V1_Nominations.Method.report, .write("nominations.nominate")) { (request: Coi_Nominations_V1_ReportRequest, context) in
            let account = try context.requireAccount()
            guard request.reason != .unspecified, Coi_Nominations_V1_ReportReason(rawValue: request.reason.rawValue) != nil else {
                throw RPCError.invalidField("reason", "must be SPAM, OFFENSIVE or DOES_NOT_BELONG")
            }
            let note = try Validation.text(request.note, "note", limit: 500, required: false, as: .line)
            context.audit.target = "nomination:\(request.nominationID)"
            let threshold = self.settings.autoHideReports
            return try await self.write { db in
                let record = try NominationRecord.require(db, id: request.nominationID)
                let campaign = try CampaignRecord.require(db, id: record.campaignID)
                let viewer = try Viewer.of(context, campaignID: campaign.id, db: db)
                try record.requireVisible(to: viewer)
                // Every report is kept: a person's earlier reports (dismissed by a restore) stay beside a new one.
                let alreadyOpen = try Int.cachedOne(db, sql: """
                    SELECT COUNT(*) FROM nominations_reports WHERE nomination_id = ? AND account_id = ? AND dismissed = 0
                    """, arguments: [record.id, account.id]) ?? 0
                guard alreadyOpen == 0 else {
                    throw RPCError(.alreadyExists, "you have already reported nomination \(record.id) and a moderator has not yet "
                                   + "dealt with it", reason: "ALREADY_REPORTED")
                }
                try db.run(sql: """
                    INSERT INTO nominations_reports (id, nomination_id, account_id, reason, note, created_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [Identifier.make("rep"), record.id, account.id, request.reason.rawValue, note, Timestamp.now()])
                let open = try Int.cachedOne(db, sql: "SELECT COUNT(*) FROM nominations_reports WHERE nomination_id = ? AND dismissed = 0",
                                            arguments: [record.id]) ?? 0
                if open >= threshold && !record.hidden {
                    try db.run(sql: "UPDATE nominations_nominations SET hidden = 1, updated_at = ? WHERE id = ?",
                                   arguments: [Timestamp.now(), record.id])
                    try Events.append(db, campaignID: campaign.id, kind: "nomination.hidden", subject: record.id)
                }
                return try NominationRecord.require(db, id: record.id).message(for: viewer, blind: campaign.blindReview)
            }
        }
        router.unary(Coi_Nominations_V1_Nominations.Method.restore, .write("nominations.moderate")) { (request: Coi_Nominations_V1_RestoreRequest, context) in
            context.audit.target = "nomination:\(request.nominationID)"
            context.audit.reason = try TextRules.line(request.reason, field: "reason")
            return try await self.write { db in
                let record = try NominationRecord.require(db, id: request.nominationID)
                try context.require("nominations.moderate", in: "campaign:\(record.campaignID)")
                let campaign = try CampaignRecord.require(db, id: record.campaignID)
                guard record.hidden || record.openReports > 0 else {
                    throw RPCError(.failedPrecondition, "nomination \(record.id) is not hidden and has no open reports", reason: "NOT_HIDDEN")
                }
                let now = Timestamp.now()
                try db.run(sql: """
                    UPDATE nominations_reports SET dismissed = 1, dismissed_at = ?, dismissed_by = ? WHERE nomination_id = ? AND dismissed = 0
                    """, arguments: [now, context.principal.caller, record.id])
                try db.run(sql: "UPDATE nominations_nominations SET hidden = 0, updated_at = ? WHERE id = ?",
                               arguments: [Timestamp.now(), record.id])
                if record.hidden { try Events.append(db, campaignID: campaign.id, kind: "nomination.restored", subject: record.id) }
                let viewer = try Viewer.of(context, campaignID: campaign.id, db: db)
                return try NominationRecord.require(db, id: record.id).message(for: viewer, blind: campaign.blindReview)
            }
        }
        router.unary(Coi_Nominations_V1_Nominations.Method.hide, .write("nominations.moderate")) { (request: Coi_Nominations_V1_HideRequest, context) in
            context.audit.target = "nomination:\(request.nominationID)"
            let reason = try Validation.text(request.reason, "reason", limit: 1000, required: true, as: .line)
            context.audit.reason = reason
            return try await self.write { db in
                let record = try NominationRecord.require(db, id: request.nominationID)
                try context.require("nominations.moderate", in: "campaign:\(record.campaignID)")
                let campaign = try CampaignRecord.require(db, id: record.campaignID)
                guard !record.hidden else {
                    throw RPCError(.failedPrecondition, "nomination \(record.id) is already hidden", reason: "ALREADY_HIDDEN")
                }
                try db.run(sql: "UPDATE nominations_nominations SET hidden = 1, updated_at = ? WHERE id = ?", arguments: [Timestamp.now(), record.id])
                try Events.append(db, campaignID: campaign.id, kind: "nomination.hidden", subject: record.id)
                let viewer = try Viewer.of(context, campaignID: campaign.id, db: db)
                return try NominationRecord.require(db, id: record.id).message(for: viewer, blind: campaign.blindReview)
            }
        }
        router.unary(Coi_Nominations_V1_Nominations.Method.listReports, .read("nominations.moderate")) { (request: Coi_Nominations_V1_ListReportsRequest, context) in
            try context.require("nominations.moderate", in: "campaign:\(request.campaignID)")
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            return try await self.read { db in
                let campaign = try CampaignRecord.require(db, id: request.campaignID)
                let rows = try Row.cachedAll(db, sql: """
                    SELECT r.*, COALESCE(a.full_name, '') AS reporter_name FROM nominations_reports r
                    JOIN nominations_nominations n ON n.id = r.nomination_id \(AccountNames.join(on: "r.account_id"))
                    WHERE n.campaign_id = ? AND (? = '' OR r.nomination_id = ?) AND (NOT ? OR r.dismissed = 0) AND r.seq > ?
                    ORDER BY r.seq LIMIT ?
                    """, arguments: [campaign.id, request.nominationID, request.nominationID, request.openOnly, after, size + 1])
                var reply = Coi_Nominations_V1_ListReportsReply()
                reply.reports = rows.prefix(size).map { row in
                    .with {
                        $0.nominationID = row["nomination_id"]
                        $0.reporterID = row["account_id"]
                        $0.reporterName = row["reporter_name"]
                        $0.reason = Coi_Nominations_V1_ReportReason(rawValue: row["reason"]) ?? .unspecified
                        $0.note = row["note"]
                        $0.createdAt = row["created_at"]
                        $0.dismissed = row["dismissed"]
                        $0.id = row["id"]
                        $0.dismissedAt = row["dismissed_at"]
                        $0.dismissedBy = row["dismissed_by"]
                    }
                }
                if rows.count > size { reply.nextPageToken = PageToken.encode(rows[size - 1]["seq"]) }
                return reply
            }
        }
        router.unary(Coi_Nominations_V1_Nominations.Method.audiencePrize, .read("nominations.read")) { (request: Coi_Nominations_V1_AudiencePrizeRequest, _) in
            let limit = request.limit == 0 ? 10 : try PageToken.size(request.limit, field: "limit")
            return try await self.read { db in
                let campaign = try CampaignRecord.require(db, id: request.campaignID)
                // Only public nominations compete: consented, not hidden, not withdrawn or ineligible.
                let rows = try Row.cachedAll(db, sql: """
                    SELECT n.id, n.title, n.region_code, n.endorsements FROM nominations_nominations n
                    WHERE n.campaign_id = ? AND n.hidden = 0 AND n.state NOT IN (?, ?)
                      AND NOT EXISTS (SELECT 1 FROM nominations_nominees m WHERE m.nomination_id = n.id AND m.consented_at = '')
                    ORDER BY n.endorsements DESC, n.submitted_at, n.seq LIMIT ?
                    """, arguments: [campaign.id, Coi_Nominations_V1_NominationState.withdrawn.rawValue,
                                     Coi_Nominations_V1_NominationState.ineligible.rawValue, limit])
                return Coi_Nominations_V1_AudiencePrizeReply.with {
                    $0.entries = rows.enumerated().map { index, row in
                        .with {
                            $0.rank = Int32(index + 1)
                            $0.nominationID = row["id"]
                            $0.title = row["title"]
                            $0.region = Denmark.region(code: row["region_code"])?.id ?? ""
                            $0.regionName = Denmark.region(code: row["region_code"])?.name ?? ""
                            $0.endorsements = row["endorsements"]
                        }
                    }
                }
            }
        }
    }
}
