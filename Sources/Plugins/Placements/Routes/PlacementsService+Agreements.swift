import COIPluginKit
import COIProto
import COIWire
import GRDB

extension PlacementsService {
    func registerAgreements(_ router: inout Router) {
        router.unary(Coi_Placements_V1_Agreements.Method.get, .read("placements.read")) { (request: Coi_Placements_V1_GetAgreementRequest, context) in
            try await self.read { db in
                let record = try AgreementRecord.require(db, seekerID: request.seekerID)
                guard record.mayRead(context) else { throw RPCError(.notFound, "no agreement for seeker \(request.seekerID)", reason: "NOT_FOUND") }
                return record.message
            }
        }
        router.unary(Coi_Placements_V1_Agreements.Method.save, .write("placements.apply")) { (request: Coi_Placements_V1_SaveAgreementRequest, context) in
            let caller = try context.requireAccount()
            let goals = try Validation.text(request.goals, "goals", limit: 2000)
            guard (1...5).contains(request.days) else { throw RPCError.invalidField("days", "must be 1–5, is \(request.days)") }
            let tasks = try Validation.text(request.tasks, "tasks", limit: 2000, required: false)
            let contact = try Validation.text(request.contact, "contact", limit: 500, required: false)
            let confidentiality = try Validation.text(request.confidentiality, "confidentiality", limit: 2000, required: false)
            context.audit.target = "seeker:\(request.seekerID)"
            return try await self.write { db in
                let record = try AgreementRecord.require(db, seekerID: request.seekerID)
                // The three who confirm write it; a coordinator reads it but does not put words in their mouths.
                guard [record.seekerAccount, record.contactID, record.managerID].contains(caller.id) else {
                    throw RPCError(.permissionDenied, "only the seeker, the host contact and the home manager write the agreement of seeker "
                                   + "\(request.seekerID)", reason: "NOT_PARTY")
                }
                try SeasonRecord.require(db, id: record.seasonID).require(SeasonPhase.allCases.filter { $0 < .archived },
                                                                          for: "changing an agreement")
                guard record.completedAt.isEmpty else {
                    throw RPCError(.failedPrecondition, "the placement of seeker \(request.seekerID) is completed; its agreement no longer changes",
                                   reason: "COMPLETED")
                }
                guard request.baseVersion == record.version else {
                    throw RPCError(.aborted, "the agreement of seeker \(request.seekerID) is at version \(record.version), not "
                                   + "\(request.baseVersion): read it again and apply your change to it", reason: "VERSION_CONFLICT",
                                   fieldViolations: [.init(field: "base_version", description: "is \(record.version)")])
                }
                let unchanged = !record.id.isEmpty && record.agreedOfferID == record.offerID && record.goals == goals
                    && record.days == Int(request.days) && record.tasks == tasks && record.contact == contact
                    && record.confidentiality == confidentiality
                if unchanged { return record.message }
                // A change makes a new version: confirmations of the earlier one lapse (reconfirmation needed).
                let now = Timestamp.now()
                try db.run(sql: """
                    INSERT INTO placements_agreements (id, seeker_id, season_id, offer_id, goals, days, tasks, contact, confidentiality, version,
                        updated_by, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
                    ON CONFLICT (seeker_id) DO UPDATE SET offer_id = excluded.offer_id, goals = excluded.goals, days = excluded.days,
                        tasks = excluded.tasks, contact = excluded.contact, confidentiality = excluded.confidentiality,
                        version = placements_agreements.version + 1, updated_by = excluded.updated_by, updated_at = excluded.updated_at
                    """, arguments: [Identifier.make("agr"), request.seekerID, record.seasonID, record.offerID, goals, request.days, tasks,
                                     contact, confidentiality, caller.id, now])
                return try AgreementRecord.require(db, seekerID: request.seekerID).message
            }
        }
        router.unary(Coi_Placements_V1_Agreements.Method.confirm, .write("placements.apply")) { (request: Coi_Placements_V1_ConfirmAgreementRequest, context) in
            let caller = try context.requireAccount()
            guard [.seeker, .host, .manager].contains(request.party) else {
                throw RPCError.invalidField("party", "must be SEEKER, HOST or MANAGER")
            }
            context.audit.target = "seeker:\(request.seekerID)"
            return try await self.write { db in
                let record = try AgreementRecord.require(db, seekerID: request.seekerID)
                let holder = record.account(of: request.party)
                // Each confirms for themself: not a coordinator, not an admin, not the other parties.
                guard holder.id == caller.id else {
                    throw RPCError(.permissionDenied, "only \(holder.name) (\(holder.id)), the \(request.party.word), confirms that part of the "
                                   + "agreement of seeker \(request.seekerID)", reason: "NOT_PARTY")
                }
                try SeasonRecord.require(db, id: record.seasonID).require(SeasonPhase.allCases.filter { $0 < .archived },
                                                                          for: "confirming an agreement")
                guard !record.id.isEmpty, record.agreedOfferID == record.offerID else {
                    throw RPCError(.failedPrecondition, "the agreement of seeker \(request.seekerID) has not been written for this placement yet; "
                                   + "save it first", reason: "NO_AGREEMENT")
                }
                guard record.completedAt.isEmpty else {
                    throw RPCError(.failedPrecondition, "the placement of seeker \(request.seekerID) is completed", reason: "COMPLETED")
                }
                guard request.version == 0 || request.version == record.version else {
                    throw RPCError(.aborted, "the agreement of seeker \(request.seekerID) changed: it is at version \(record.version), you read "
                                   + "\(request.version); read it again before confirming", reason: "VERSION_CONFLICT",
                                   fieldViolations: [.init(field: "version", description: "is \(record.version)")])
                }
                let now = Timestamp.now()
                switch request.party {
                case .seeker:
                    try db.run(sql: "UPDATE placements_agreements SET seeker_version = ?, seeker_at = ? WHERE seeker_id = ?",
                               arguments: [record.version, now, request.seekerID])
                case .host:
                    try db.run(sql: "UPDATE placements_agreements SET host_version = ?, host_at = ?, host_by = ? WHERE seeker_id = ?",
                               arguments: [record.version, now, caller.id, request.seekerID])
                default:
                    try db.run(sql: "UPDATE placements_agreements SET manager_version = ?, manager_at = ?, manager_by = ? WHERE seeker_id = ?",
                               arguments: [record.version, now, caller.id, request.seekerID])
                }
                let updated = try AgreementRecord.require(db, seekerID: request.seekerID)
                if updated.agreed && !record.agreed {
                    try Events.append(db, seasonID: record.seasonID, kind: "agreement.confirmed", subject: updated.id,
                                      detail: "version \(updated.version)")
                }
                return updated.message
            }
        }
        router.unary(Coi_Placements_V1_Agreements.Method.complete, .write("placements.apply")) { (request: Coi_Placements_V1_CompleteAgreementRequest, context) in
            let caller = try context.requireAccount()
            let learned = try Validation.text(request.learned, "learned", limit: 4000)
            let ideas = try Validation.text(request.ideasHome, "ideas_home", limit: 4000)
            context.audit.target = "seeker:\(request.seekerID)"
            return try await self.write { db in
                let record = try AgreementRecord.require(db, seekerID: request.seekerID)
                guard record.seekerAccount == caller.id else {
                    throw RPCError(.permissionDenied, "only the seeker, \(record.seekerName), completes the placement with their evaluation",
                                   reason: "NOT_SEEKER")
                }
                guard record.casePageID.isEmpty else {
                    throw RPCError(.failedPrecondition, "the evaluation is published as \(record.casePageTitle); edit it in the wiki",
                                   reason: "ALREADY_PUBLISHED")
                }
                guard record.agreed || !record.completedAt.isEmpty else {
                    throw RPCError(.failedPrecondition, "the agreement of seeker \(request.seekerID) is not confirmed by all three "
                                   + "(status \(record.status)); a placement is completed on a confirmed agreement", reason: "NOT_AGREED")
                }
                try db.run(sql: "UPDATE placements_agreements SET learned = ?, ideas_home = ?, completed_at = ? WHERE seeker_id = ?",
                           arguments: [learned, ideas, Timestamp.now(), request.seekerID])
                if record.completedAt.isEmpty {
                    try Events.append(db, seasonID: record.seasonID, kind: "agreement.completed", subject: record.id)
                }
                return try AgreementRecord.require(db, seekerID: request.seekerID).message
            }
        }
        router.unary(Coi_Placements_V1_Agreements.Method.publish, .write("placements.apply")) { (request: Coi_Placements_V1_PublishCaseRequest, context) in
            let caller = try context.requireAccount()
            context.audit.target = "seeker:\(request.seekerID)"
            let title = try Validation.text(request.title, "title", limit: 200, required: false)
            let sector = try Validation.text(request.sector, "sector", limit: 100, required: false)
            // Checked, saved in the wiki and recorded here by one call at a time: two at once would
            // both pass the check and both create a page, and the loser's would be left unrecorded.
            let busy = {
                RPCError(.aborted, "seeker \(request.seekerID)'s evaluation is being published by another call; retry to see its outcome",
                         reason: "PUBLISH_IN_PROGRESS")
            }
            return try await self.publishing.run(request.seekerID, busy: busy) {
                // Checked and read first, outside any write: the wiki writes in its own transaction.
                let (record, season) = try await self.read { db in
                    let record = try AgreementRecord.require(db, seekerID: request.seekerID)
                    return (record, try SeasonRecord.require(db, id: record.seasonID))
                }
                guard record.seekerAccount == caller.id else {
                    throw RPCError(.permissionDenied, "only the seeker, \(record.seekerName), publishes their evaluation", reason: "NOT_SEEKER")
                }
                guard !record.completedAt.isEmpty else {
                    throw RPCError(.failedPrecondition, "the placement of seeker \(request.seekerID) has no evaluation yet (Agreements/Complete)",
                                   reason: "NOT_COMPLETED")
                }
                guard record.casePageID.isEmpty else {
                    throw RPCError(.alreadyExists, "the evaluation is already published as \(record.casePageTitle)", reason: "ALREADY_PUBLISHED")
                }
                let save = Self.casePage(record, season: season, title: title, sector: sector)
                // Through the wiki's own Save, as the seeker: its rules, history, search and audit apply.
                let reply = try await self.calls.call(Coi_Wiki_V1_Pages.Method.save, save, as: context)
                return try await self.write { db in
                    let current = try AgreementRecord.require(db, seekerID: request.seekerID)
                    guard current.casePageID.isEmpty else {
                        throw RPCError(.alreadyExists, "the evaluation was published meanwhile as \(current.casePageTitle)", reason: "ALREADY_PUBLISHED")
                    }
                    try db.run(sql: "UPDATE placements_agreements SET case_page_id = ?, case_page_title = ? WHERE seeker_id = ?",
                               arguments: [reply.page.id, reply.page.title, request.seekerID])
                    try Events.append(db, seasonID: record.seasonID, kind: "case.published", subject: record.id, detail: reply.page.title)
                    return try AgreementRecord.require(db, seekerID: request.seekerID).message
                }
            }
        }
    }

    /// The wiki case page of an evaluation: the goals, what was learned and the ideas that travel
    /// home, with the host as the case's place. The agreement's contact and confidentiality stay out.
    static func casePage(_ record: AgreementRecord, season: SeasonRecord, title: String, sector: String) -> Coi_Wiki_V1_SaveRequest {
        let name = title.isEmpty ? "Innovationspraktik \(season.year): \(record.homeWorkplace) hos \(record.hostWorkplace)" : title
        var text = "Innovationspraktik \(season.year), uge \(season.week): fra \(record.homeWorkplace) til \(record.hostWorkplace), "
            + "\(record.days) \(record.days == 1 ? "dag" : "dage").\n\n## Mål\n\n\(record.goals)\n"
        if !record.tasks.isEmpty { text += "\n## Opgaver\n\n\(record.tasks)\n" }
        text += "\n## Det lærte jeg\n\n\(record.learned)\n\n## Idéer der rejser hjem\n\n\(record.ideasHome)\n"
        return .with {
            $0.title = "Case:" + name
            $0.text = text
            $0.summary = "Evaluering af innovationspraktik (\(record.id))"
            $0.caseFields = .with {
                switch Coi_Placements_V1_Level(rawValue: record.hostLevel) ?? .unspecified {
                case .municipal:
                    $0.level = .municipality
                    $0.municipalityCode = Int32(record.hostMunicipality)
                case .regional:
                    $0.level = .region
                    $0.regionCode = Int32(record.hostRegion)
                default:
                    $0.level = .state
                }
                $0.sector = !sector.isEmpty ? sector : !record.sector.isEmpty ? record.sector : "innovationspraktik"
                $0.effect = record.ideasHome
                $0.process = record.learned
                $0.contact = record.hostWorkplace
            }
        }
    }
}
