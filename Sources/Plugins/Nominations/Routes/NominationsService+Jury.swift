import COIPluginKit
import COIProto
import COIWire
import GRDB

extension NominationsService {
    func registerJury(_ router: inout Router) {
        router.unary(Coi_Nominations_V1_Jury.Method.addJuror, .write("nominations.manage")) { (request: Coi_Nominations_V1_AddJurorRequest, context) in
            try context.require("nominations.manage", in: "campaign:\(request.campaignID)")
            let region = try Validation.region(request.region, "region")
            guard !request.accountID.isEmpty else { throw RPCError.invalidField("account_id", "is required") }
            context.audit.target = "campaign:\(request.campaignID) juror:\(request.accountID)"
            let caller = context.principal.caller
            return try await self.write { db in
                let campaign = try CampaignRecord.require(db, id: request.campaignID)
                try campaign.require([.draft, .nominationsOpen, .screening, .jury], for: "changing the jury")
                guard try AccountNames.exists(db, id: request.accountID, kind: .person, activeOnly: true) else {
                    throw RPCError(.notFound, "no active person account \(request.accountID)", reason: "ACCOUNT_NOT_FOUND")
                }
                let now = Timestamp.now()
                try db.run(sql: """
                    INSERT INTO nominations_jurors (campaign_id, account_id, region_code, added_at, created_by, updated_by, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (campaign_id, account_id) DO UPDATE SET region_code = excluded.region_code, updated_by = excluded.updated_by,
                        updated_at = excluded.updated_at
                    """, arguments: [campaign.id, request.accountID, region, now, caller, caller, now])
                return try Self.juror(db, campaign.id, request.accountID)!
            }
        }
        router.unary(Coi_Nominations_V1_Jury.Method.removeJuror, .write("nominations.manage")) { (request: Coi_Nominations_V1_RemoveJurorRequest, context) in
            try context.require("nominations.manage", in: "campaign:\(request.campaignID)")
            context.audit.target = "campaign:\(request.campaignID) juror:\(request.accountID)"
            return try await self.write { db in
                let campaign = try CampaignRecord.require(db, id: request.campaignID)
                try campaign.require([.draft, .nominationsOpen, .screening, .jury], for: "changing the jury")
                guard let juror = try Self.juror(db, campaign.id, request.accountID) else {
                    throw RPCError(.notFound, "\(request.accountID) is not on the jury of campaign \(campaign.id)", reason: "JUROR_NOT_FOUND")
                }
                // A juror who leaves takes their sheets along: results count the jury as it stands.
                try db.run(sql: "DELETE FROM nominations_scores WHERE campaign_id = ? AND juror_id = ?", arguments: [campaign.id, juror.accountID])
                try db.run(sql: "DELETE FROM nominations_jurors WHERE campaign_id = ? AND account_id = ?", arguments: [campaign.id, juror.accountID])
                return juror
            }
        }
        router.unary(Coi_Nominations_V1_Jury.Method.listJurors, .read("nominations.manage")) { (request: Coi_Nominations_V1_ListJurorsRequest, _) in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            return try await self.read { db in
                let campaign = try CampaignRecord.require(db, id: request.campaignID)
                let rows = try Row.cachedAll(db, sql: """
                    SELECT j.rowid AS seq, j.account_id FROM nominations_jurors j WHERE j.campaign_id = ? AND j.rowid > ? ORDER BY j.rowid LIMIT ?
                    """, arguments: [campaign.id, after, size + 1])
                var reply = Coi_Nominations_V1_ListJurorsReply()
                for row in rows.prefix(size) {
                    if let juror = try Self.juror(db, campaign.id, row["account_id"]) { reply.jurors.append(juror) }
                }
                if rows.count > size { reply.nextPageToken = PageToken.encode(rows[size - 1]["seq"]) }
                return reply
            }
        }
        router.unary(Coi_Nominations_V1_Jury.Method.declareConflict, .write("nominations.score")) { (request: Coi_Nominations_V1_DeclareConflictRequest, context) in
            let account = try context.requireAccount()
            let reason = try Validation.text(request.reason, "reason", limit: 500, as: .line)
            context.audit.target = "nomination:\(request.nominationID)"
            context.audit.reason = reason
            return try await self.write { db in
                let record = try NominationRecord.require(db, id: request.nominationID)
                let campaign = try CampaignRecord.require(db, id: record.campaignID)
                try context.require("nominations.score", in: "campaign:\(campaign.id)")
                _ = try Self.requireJuror(db, campaign.id, account.id)
                try campaign.require([.nominationsOpen, .screening, .jury], for: "declaring a conflict")
                try db.run(sql: """
                    INSERT INTO nominations_conflicts (campaign_id, juror_id, nomination_id, reason, created_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (juror_id, nomination_id) DO UPDATE SET reason = excluded.reason
                    """, arguments: [campaign.id, account.id, record.id, reason, Timestamp.now()])
                // A conflict voids a sheet already given.
                try db.run(sql: "DELETE FROM nominations_scores WHERE juror_id = ? AND nomination_id = ?", arguments: [account.id, record.id])
                return Coi_Nominations_V1_Conflict.with {
                    $0.nominationID = record.id
                    $0.jurorID = account.id
                    $0.reason = "declared: \(reason)"
                }
            }
        }
        router.unary(Coi_Nominations_V1_Jury.Method.listAssignments, .read("nominations.score")) { (request: Coi_Nominations_V1_ListAssignmentsRequest, context) in
            let account = try context.requireAccount()
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            return try await self.read { db in
                let campaign = try CampaignRecord.require(db, id: request.campaignID)
                try context.require("nominations.score", in: "campaign:\(campaign.id)")
                let juror = try Self.requireJuror(db, campaign.id, account.id)
                try campaign.require([.screening, .jury], for: "listing jury assignments")
                let declared = try Self.declaredConflicts(db, account.id, campaign.id)
                let scored = try String.cachedSet(db, sql: "SELECT nomination_id FROM nominations_scores WHERE campaign_id = ? AND juror_id = ?",
                                                 arguments: [campaign.id, account.id])
                var records = try NominationRecord.fetch(db, """
                    WHERE n.campaign_id = ? AND n.state = ? AND n.hidden = 0 AND (? = 0 OR n.region_code = ?) AND n.seq > ?
                    ORDER BY n.seq LIMIT ?
                    """, [campaign.id, Coi_Nominations_V1_NominationState.shortlisted.rawValue, juror.region, juror.region, after, size + 1])
                var reply = Coi_Nominations_V1_ListAssignmentsReply()
                if records.count > size {
                    records.removeLast()
                    reply.nextPageToken = PageToken.encode(records.last!.seq)
                }
                let viewer = Viewer(accountID: account.id, seesAll: false, juror: true)
                for record in records {
                    if let reason = Recusal.reason(juror.recusal, record.recusal, declared: declared[record.id]) {
                        reply.recusals.append(.with {
                            $0.nominationID = record.id
                            $0.jurorID = account.id
                            $0.reason = reason
                        })
                    } else {
                        reply.assignments.append(.with {
                            $0.nomination = record.message(for: viewer, blind: campaign.blindReview)
                            $0.scored = scored.contains(record.id)
                        })
                    }
                }
                return reply
            }
        }
        router.unary(Coi_Nominations_V1_Jury.Method.score, .write("nominations.score")) { (request: Coi_Nominations_V1_ScoreRequest, context) in
            let account = try context.requireAccount()
            try context.require("nominations.score", in: "campaign:\(request.campaignID)")
            guard (1...1000).contains(request.sheets.count) else {
                throw RPCError.invalidField("sheets", "send 1–1000 sheets, got \(request.sheets.count)")
            }
            for (index, sheet) in request.sheets.enumerated() {
                if let bad = sheet.scores.firstIndex(where: { !(1...5).contains($0) }) {
                    throw RPCError.invalidField("sheets[\(index)].scores[\(bad)]", "must be 1–5, is \(sheet.scores[bad])")
                }
                if sheet.comment.count > 2000 { throw RPCError.invalidField("sheets[\(index)].comment", "must be at most 2000 characters") }
            }
            context.audit.target = request.sheets.count == 1 ? "nomination:\(request.sheets[0].nominationID)"
                : "campaign:\(request.campaignID) (\(request.sheets.count) sheets)"
            return try await self.write { db in
                let campaign = try CampaignRecord.require(db, id: request.campaignID)
                let juror = try Self.requireJuror(db, campaign.id, account.id)
                try campaign.require([.jury], for: "scoring")
                let declared = try Self.declaredConflicts(db, account.id, campaign.id)
                let now = Timestamp.now()
                for (index, sheet) in request.sheets.enumerated() {
                    guard sheet.scores.count == campaign.criteria.count else {
                        throw RPCError.invalidField("sheets[\(index)].scores", "give one score per criterion (\(campaign.criteria.count): "
                                                    + "\(campaign.criteria.map(\.key).joined(separator: ", "))), got \(sheet.scores.count)")
                    }
                    let record = try NominationRecord.require(db, id: sheet.nominationID, field: "sheets[\(index)].nomination_id")
                    guard record.campaignID == campaign.id else {
                        throw RPCError(.notFound, "sheets[\(index)]: no nomination \(record.id) in campaign \(campaign.id)",
                                       reason: "NOMINATION_NOT_FOUND")
                    }
                    guard record.state == .shortlisted, !record.hidden else {
                        throw RPCError(.failedPrecondition, "sheets[\(index)]: nomination \(record.id) is \(record.hidden ? "hidden" : record.state.name); "
                                       + "only shortlisted nominations are scored", reason: "WRONG_STATE")
                    }
                    guard juror.region == 0 || juror.region == record.regionCode else {
                        throw RPCError(.permissionDenied, "sheets[\(index)]: nomination \(record.id) is outside your region "
                                       + "(\(Denmark.region(code: juror.region)?.id ?? "?"))", reason: "OTHER_REGION")
                    }
                    if let reason = Recusal.reason(juror.recusal, record.recusal, declared: declared[record.id]) {
                        throw RPCError(.failedPrecondition, "sheets[\(index)]: you are recused from nomination \(record.id) (\(reason))",
                                       reason: "RECUSED")
                    }
                    let scores = sheet.scores.map(Int.init)
                    try db.run(sql: """
                        INSERT INTO nominations_scores (campaign_id, juror_id, nomination_id, scores, weighted, comment, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (juror_id, nomination_id) DO UPDATE SET scores = excluded.scores, weighted = excluded.weighted,
                            comment = excluded.comment, updated_at = excluded.updated_at
                        """, arguments: [campaign.id, account.id, record.id, scores.map(String.init).joined(separator: ","),
                                         ResultsEngine.weightedMean(scores, weights: campaign.weights), sheet.comment, now])
                }
                return Coi_Nominations_V1_ScoreReply.with { $0.saved = Int32(request.sheets.count) }
            }
        }
        router.unary(Coi_Nominations_V1_Jury.Method.listScores, .read("nominations.score")) { (request: Coi_Nominations_V1_ListScoresRequest, context) in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            let manager = context.principal.can("nominations.manage", in: "campaign:\(request.campaignID)")
            var jurorID = request.jurorID
            if !manager {
                let account = try context.requireAccount()
                guard jurorID.isEmpty || jurorID == account.id else {
                    throw RPCError(.permissionDenied, "jurors see their own sheets only; juror_id must be empty or \(account.id)",
                                   reason: "PERMISSION_DENIED")
                }
                jurorID = account.id
            }
            let juror = jurorID
            return try await self.read { db in
                let campaign = try CampaignRecord.require(db, id: request.campaignID)
                let rows = try Row.cachedAll(db, sql: """
                    SELECT rowid AS seq, * FROM nominations_scores WHERE campaign_id = ? AND (? = '' OR juror_id = ?)
                        AND (? = '' OR nomination_id = ?) AND rowid > ? ORDER BY rowid LIMIT ?
                    """, arguments: [campaign.id, juror, juror, request.nominationID, request.nominationID, after, size + 1])
                var reply = Coi_Nominations_V1_ListScoresReply()
                reply.sheets = rows.prefix(size).map(Self.sheet)
                if rows.count > size { reply.nextPageToken = PageToken.encode(rows[size - 1]["seq"]) }
                return reply
            }
        }
    }

    static func sheet(_ row: Row) -> Coi_Nominations_V1_ScoreSheet {
        .with {
            $0.nominationID = row["nomination_id"]
            $0.jurorID = row["juror_id"]
            $0.scores = (row["scores"] as String).split(separator: ",").compactMap { Int32($0) }
            $0.weighted = row["weighted"]
            $0.comment = row["comment"]
            $0.updatedAt = row["updated_at"]
        }
    }

    /// A juror of a campaign, with what recusal needs.
    struct JurorInfo {
        var recusal: Recusal.Juror
        var region: Int
    }

    static func requireJuror(_ db: Database, _ campaignID: String, _ accountID: String) throws -> JurorInfo {
        guard let row = try Row.cachedOne(db, sql: """
            SELECT j.region_code, a.full_name, a.workplace FROM nominations_jurors j \(AccountNames.join(on: "j.account_id", required: true))
            WHERE j.campaign_id = ? AND j.account_id = ?
            """, arguments: [campaignID, accountID]) else {
            throw RPCError(.failedPrecondition, "you are not on the jury of campaign \(campaignID); an admin adds jurors with Jury/AddJuror",
                           reason: "NOT_JUROR")
        }
        return JurorInfo(recusal: Recusal.Juror(id: accountID, name: row["full_name"], workplace: row["workplace"]), region: row["region_code"])
    }

    static func declaredConflicts(_ db: Database, _ jurorID: String, _ campaignID: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try Row.cachedAll(db, sql: "SELECT nomination_id, reason FROM nominations_conflicts WHERE juror_id = ? AND campaign_id = ?",
                                    arguments: [jurorID, campaignID]) {
            result[row["nomination_id"]] = row["reason"]
        }
        return result
    }

    static func juror(_ db: Database, _ campaignID: String, _ accountID: String) throws -> Coi_Nominations_V1_Juror? {
        guard let row = try Row.cachedOne(db, sql: """
            SELECT j.*, COALESCE(a.full_name, '') AS name FROM nominations_jurors j \(AccountNames.join(on: "j.account_id"))
            WHERE j.campaign_id = ? AND j.account_id = ?
            """, arguments: [campaignID, accountID]) else { return nil }
        return .with {
            $0.campaignID = row["campaign_id"]
            $0.accountID = row["account_id"]
            $0.name = row["name"]
            $0.region = Denmark.region(code: row["region_code"])?.id ?? ""
            $0.regionName = Denmark.region(code: row["region_code"])?.name ?? ""
            $0.addedAt = row["added_at"]
            $0.createdBy = row["created_by"]
            $0.updatedBy = row["updated_by"]
            $0.updatedAt = row["updated_at"]
        }
    }
}
