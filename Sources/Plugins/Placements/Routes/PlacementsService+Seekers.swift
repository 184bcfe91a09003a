import COIPluginKit
import COIProto
import COIWire
import GRDB

extension PlacementsService {
    func registerSeekers(_ router: inout Router) {
        router.unary(Coi_Placements_V1_Seekers.Method.register, .write("placements.apply")) { (request: Coi_Placements_V1_RegisterSeekerRequest, context) in
            let caller = try context.requireAccount()
            let workplace = try Validation.text(request.homeWorkplace, "home_workplace", limit: 200)
            let level = try Validation.level(request.level, "level")
            let municipality = try Validation.municipality(request.municipalityCode, "municipality_code")
            let role = try Validation.text(request.role, "role", limit: 200, required: false)
            let goals = try Validation.text(request.learningGoals, "learning_goals", limit: 2000, required: false)
            guard !request.managerID.isEmpty else { throw RPCError.invalidField("manager_id", "is required: the home manager must approve") }
            guard request.managerID != caller.id else {
                throw RPCError.invalidField("manager_id", "must be your home manager, not yourself")
            }
            let id = Identifier.make("skr")
            context.audit.target = "seeker:\(id)"
            return try await self.write { db in
                let season = try SeasonRecord.require(db, id: request.seasonID)
                try season.require([.draft, .offersOpen, .applicationsOpen, .matched], for: "registering as a seeker")
                try Self.requirePerson(db, request.managerID, field: "manager_id")
                if try Bool.cachedOne(db, sql: "SELECT 1 FROM placements_seekers WHERE season_id = ? AND account_id = ?",
                                      arguments: [season.id, caller.id]) ?? false {
                    throw RPCError(.alreadyExists, "\(caller.displayName) is already a seeker in season \(season.id)", reason: "ALREADY_EXISTS")
                }
                try db.run(sql: """
                    INSERT INTO placements_seekers (id, season_id, ref, account_id, home_workplace, level, municipality_code, region_code, role,
                        learning_goals, manager_id, approval, approval_reason, approval_at, created_at)
                    VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', ?)
                    """, arguments: [id, season.id, caller.id, workplace, level.rawValue, municipality.code, municipality.regionCode, role,
                                     goals, request.managerID, Coi_Placements_V1_Approval.pending.rawValue, Timestamp.now()])
                return SeekerRecord.message(try SeekerRecord.require(db, id: id))
            }
        }
        router.unary(Coi_Placements_V1_Seekers.Method.get, .read("placements.read")) { (request: Coi_Placements_V1_GetSeekerRequest, context) in
            try await self.read { db in
                let row = try SeekerRecord.require(db, id: request.id, field: "id")
                // Seekers are seen by themselves, their manager and coordinators; hosts see applicants through ListApplicants.
                guard SeekerRecord.mayAccess(row, context) else { throw RPCError(.notFound, "no seeker \(request.id)", reason: "NOT_FOUND") }
                return SeekerRecord.message(row)
            }
        }
        router.unary(Coi_Placements_V1_Seekers.Method.list, .read("placements.read")) { (request: Coi_Placements_V1_ListSeekersRequest, context) in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            let me = context.principal.account?.id ?? ""
            let coordinator = context.principal.can("placements.manage", in: "season:\(request.seasonID)")
            guard coordinator || request.awaitingMe else {
                throw RPCError(.permissionDenied, "\(context.principal.caller) may list only the seekers awaiting their approval (awaiting_me)",
                               reason: "PERMISSION_DENIED")
            }
            return try await self.read { db in
                _ = try SeasonRecord.require(db, id: request.seasonID)
                let rows = try Row.cachedAll(db, sql: SeekerRecord.select + """
                     WHERE s.season_id = ? AND s.seq > ? AND (? = 0 OR s.approval = ?) AND (? = 0 OR s.manager_id = ?)
                    ORDER BY s.seq LIMIT ?
                    """, arguments: [request.seasonID, after, request.approval.rawValue, request.approval.rawValue, request.awaitingMe, me,
                                     size + 1])
                return Coi_Placements_V1_ListSeekersReply.with {
                    $0.seekers = rows.prefix(size).map(SeekerRecord.message)
                    if rows.count > size, let last = rows.prefix(size).last { $0.nextPageToken = PageToken.encode(last["seq"]) }
                }
            }
        }
        router.unary(Coi_Placements_V1_Seekers.Method.answerApproval, .write("placements.apply")) { (request: Coi_Placements_V1_AnswerApprovalRequest, context) in
            let caller = try context.requireAccount()
            let reason = try Validation.text(request.reason, "reason", limit: 1000, required: !request.approve)
            context.audit.target = "seeker:\(request.seekerID)"
            context.audit.reason = reason
            return try await self.write { db in
                let row = try SeekerRecord.require(db, id: request.seekerID)
                guard row["manager_id"] as String == caller.id else {
                    throw RPCError(.permissionDenied, "only the named home manager (\(row["manager_name"] as String)) answers seeker "
                                   + "\(request.seekerID)'s approval", reason: "NOT_MANAGER")
                }
                let season = try SeasonRecord.require(db, id: row["season_id"])
                try season.require(SeasonPhase.allCases.filter { $0 < .completed }, for: "answering an approval")
                if !request.approve, try Bool.cachedOne(db, sql: "SELECT 1 FROM placements_results WHERE seeker_id = ? AND offer_id IS NOT NULL",
                                                        arguments: [request.seekerID]) ?? false {
                    throw RPCError(.failedPrecondition, "seeker \(request.seekerID) is already placed; a coordinator must unplace them first",
                                   reason: "ALREADY_PLACED")
                }
                let approval: Coi_Placements_V1_Approval = request.approve ? .approved : .declined
                try db.run(sql: "UPDATE placements_seekers SET approval = ?, approval_reason = ?, approval_at = ? WHERE id = ?",
                           arguments: [approval.rawValue, reason, Timestamp.now(), request.seekerID])
                return SeekerRecord.message(try SeekerRecord.require(db, id: request.seekerID))
            }
        }
        router.unary(Coi_Placements_V1_Seekers.Method.setChoices, .write("placements.apply")) { (request: Coi_Placements_V1_SetChoicesRequest, context) in
            context.audit.target = "seeker:\(request.seekerID)"
            var motivations: [String] = []
            for (index, choice) in request.choices.enumerated() {
                motivations.append(try Validation.text(choice.motivation, "choices[\(index)].motivation", limit: 1000, required: false))
            }
            let checked = motivations
            return try await self.write { db in
                let row = try SeekerRecord.require(db, id: request.seekerID)
                guard SeekerRecord.mayAccess(row, context, managerToo: false) else {
                    throw RPCError(.permissionDenied, "\(context.principal.caller) is not seeker \(request.seekerID)", reason: "NOT_SEEKER")
                }
                let season = try SeasonRecord.require(db, id: row["season_id"])
                let coordinator = context.principal.can("placements.manage", in: "season:\(season.id)")
                try season.require(coordinator ? [.draft, .offersOpen, .applicationsOpen, .matching] : [.applicationsOpen], for: "ranking offers")
                guard request.choices.count <= season.maxChoices else {
                    throw RPCError.invalidField("choices", "at most \(season.maxChoices) offers in season \(season.id), got \(request.choices.count)")
                }
                var seen = Set<String>()
                for (index, choice) in request.choices.enumerated() {
                    guard let offer = try Row.cachedOne(db, sql: "SELECT season_id, published FROM placements_offers WHERE id = ?",
                                                        arguments: [choice.offerID]),
                          offer["season_id"] as String == season.id, offer["published"] as Bool else {
                        throw RPCError.invalidField("choices[\(index)].offer_id", "\(choice.offerID) is not a published offer of season \(season.id)")
                    }
                    guard seen.insert(choice.offerID).inserted else {
                        throw RPCError.invalidField("choices[\(index)].offer_id", "\(choice.offerID) is chosen twice")
                    }
                }
                // A host's rank of the seeker lapses with the seeker's choice of the offer.
                let ranked = try String.cachedSet(db, sql: "SELECT offer_id FROM placements_host_ranks WHERE seeker_id = ?",
                                                  arguments: [request.seekerID])
                for offer in ranked.subtracting(seen) {
                    try db.run(sql: "DELETE FROM placements_host_ranks WHERE seeker_id = ? AND offer_id = ?", arguments: [request.seekerID, offer])
                }
                try db.run(sql: "DELETE FROM placements_choices WHERE seeker_id = ?", arguments: [request.seekerID])
                for (index, choice) in request.choices.enumerated() {
                    try db.run(sql: "INSERT INTO placements_choices (seeker_id, rank, offer_id, motivation) VALUES (?, ?, ?, ?)",
                               arguments: [request.seekerID, index + 1, choice.offerID, checked[index]])
                }
                return try Self.choices(db, seekerID: request.seekerID)
            }
        }
        router.unary(Coi_Placements_V1_Seekers.Method.getChoices, .read("placements.read")) { (request: Coi_Placements_V1_GetChoicesRequest, context) in
            try await self.read { db in
                let row = try SeekerRecord.require(db, id: request.seekerID)
                guard SeekerRecord.mayAccess(row, context) else { throw RPCError(.notFound, "no seeker \(request.seekerID)", reason: "NOT_FOUND") }
                return try Self.choices(db, seekerID: request.seekerID)
            }
        }
    }

    static func choices(_ db: Database, seekerID: String) throws -> Coi_Placements_V1_ChoicesReply {
        let rows = try Row.cachedAll(db, sql: "SELECT rank, offer_id, motivation FROM placements_choices WHERE seeker_id = ? ORDER BY rank",
                                     arguments: [seekerID])
        return .with {
            $0.seekerID = seekerID
            $0.choices = rows.map { row in
                Coi_Placements_V1_Choice.with {
                    $0.offerID = row["offer_id"]
                    $0.motivation = row["motivation"]
                    $0.rank = row["rank"]
                }
            }
        }
    }
}
