import COIPluginKit
import COIProto
import COIWire
import GRDB

extension NominationsService {
    func registerStorms(_ router: inout Router) {
        router.unary(Coi_Nominations_V1_IdeaStorms.Method.create, .write("nominations.manage")) { (request: Coi_Nominations_V1_CreateStormRequest, context) in
            let topic = try Validation.text(request.topic, "topic", limit: 200, as: .name)
            let description = try Validation.text(request.description_p, "description", limit: 5000, required: false)
            let opens = try Validation.time(request.opensAt, "opens_at")
            let closes = try Validation.time(request.closesAt, "closes_at")
            guard closes > opens else { throw RPCError.invalidField("closes_at", "must be after opens_at (\(opens))") }
            // A storm that closed before it was created could never take a proposal.
            let now = Timestamp.now()
            guard closes > now else { throw RPCError.invalidField("closes_at", "is in the past (\(closes)); a storm must close after now (\(now))") }
            guard (0...1000).contains(request.votesPerPerson) else {
                throw RPCError.invalidField("votes_per_person", "must be 0 (the default) to 1000, is \(request.votesPerPerson)")
            }
            let votes = request.votesPerPerson == 0 ? self.settings.votesPerPerson : Int(request.votesPerPerson)
            let id = Identifier.make("stm")
            let caller = context.principal.caller
            context.audit.target = "storm:\(id)"
            return try await self.write { db in
                try db.run(sql: """
                    INSERT INTO nominations_storms (id, topic, description, opens_at, closes_at, votes_per_person, created_by, updated_by,
                        created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, topic, description, opens, closes, votes, caller, caller, now, now])
                try Events.append(db, campaignID: "", kind: "storm.created", subject: id)
                return try Self.storm(db, id)
            }
        }
        router.unary(Coi_Nominations_V1_IdeaStorms.Method.get, .read("nominations.read")) { (request: Coi_Nominations_V1_GetStormRequest, _) in
            try await self.read { db in try Self.storm(db, request.id, field: "id") }
        }
        router.unary(Coi_Nominations_V1_IdeaStorms.Method.list, .read("nominations.read")) { (request: Coi_Nominations_V1_ListStormsRequest, _) in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            let now = Timestamp.now()
            return try await self.read { db in
                let rows = try Row.cachedAll(db, sql: """
                    SELECT * FROM nominations_storms WHERE seq > ? AND (? = 0 OR (opens_at <= ? AND closes_at > ?)) ORDER BY seq LIMIT ?
                    """, arguments: [after, request.openOnly, now, now, size + 1])
                var reply = Coi_Nominations_V1_ListStormsReply()
                reply.storms = rows.prefix(size).map { Self.storm($0, now: now) }
                if rows.count > size { reply.nextPageToken = PageToken.encode(rows[size - 1]["seq"]) }
                return reply
            }
        }
        router.unary(Coi_Nominations_V1_IdeaStorms.Method.propose, .write("nominations.nominate")) { (request: Coi_Nominations_V1_ProposeRequest, context) in
            let account = try context.requireAccount()
            let title = try Validation.text(request.title, "title", limit: 200, as: .name)
            let body = try Validation.text(request.body, "body", limit: 5000)
            let id = Identifier.make("prp")
            context.audit.target = "proposal:\(id)"
            return try await self.write { db in
                let storm = try Self.storm(db, request.stormID, field: "storm_id")
                try Self.requireOpen(storm, for: "proposing")
                try db.run(sql: "INSERT INTO nominations_proposals (id, storm_id, author_id, title, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [id, storm.id, account.id, title, body, Timestamp.now()])
                try Events.append(db, campaignID: "", kind: "proposal.created", subject: id, detail: storm.id)
                return try Self.proposal(db, id)
            }
        }
        router.unary(Coi_Nominations_V1_IdeaStorms.Method.listProposals, .read("nominations.read")) { (request: Coi_Nominations_V1_ListProposalsRequest, _) in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            return try await self.read { db in
                let storm = try Self.storm(db, request.stormID, field: "storm_id")
                let rows = try Row.cachedAll(db, sql: Self.proposalSelect + """
                     WHERE p.storm_id = ? AND p.seq > ? AND (? = 0 OR p.assessment = ?) AND (? OR p.withdrawn = 0) ORDER BY p.seq LIMIT ?
                    """, arguments: [storm.id, after, request.assessment.rawValue, request.assessment.rawValue, request.includeWithdrawn, size + 1])
                var reply = Coi_Nominations_V1_ListProposalsReply()
                reply.proposals = rows.prefix(size).map(Self.proposal)
                if rows.count > size { reply.nextPageToken = PageToken.encode(rows[size - 1]["seq"]) }
                return reply
            }
        }
        router.unary(Coi_Nominations_V1_IdeaStorms.Method.addComment, .write("nominations.nominate")) { (request: Coi_Nominations_V1_CommentRequest, context) in
            let account = try context.requireAccount()
            let body = try Validation.text(request.body, "body", limit: 5000)
            let id = Identifier.make("cmt")
            context.audit.target = "proposal:\(request.proposalID) comment:\(id)"
            return try await self.write { db in
                let proposal = try Self.proposal(db, request.proposalID, field: "proposal_id")
                try Self.requireOpen(try Self.storm(db, proposal.stormID), for: "commenting")
                guard !proposal.withdrawn else {
                    throw RPCError(.failedPrecondition, "proposal \(proposal.id) is withdrawn", reason: "PROPOSAL_WITHDRAWN")
                }
                try db.run(sql: "INSERT INTO nominations_comments (id, proposal_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [id, proposal.id, account.id, body, Timestamp.now()])
                try db.run(sql: "UPDATE nominations_proposals SET comments = comments + 1 WHERE id = ?", arguments: [proposal.id])
                return try Self.comment(db, id)
            }
        }
        router.unary(Coi_Nominations_V1_IdeaStorms.Method.listComments, .read("nominations.read")) { (request: Coi_Nominations_V1_ListCommentsRequest, _) in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            return try await self.read { db in
                let proposal = try Self.proposal(db, request.proposalID, field: "proposal_id")
                let rows = try Row.cachedAll(db, sql: Self.commentSelect + " WHERE c.proposal_id = ? AND c.seq > ? ORDER BY c.seq LIMIT ?",
                                            arguments: [proposal.id, after, size + 1])
                var reply = Coi_Nominations_V1_ListCommentsReply()
                reply.comments = rows.prefix(size).map(Self.comment)
                if rows.count > size { reply.nextPageToken = PageToken.encode(rows[size - 1]["seq"]) }
                return reply
            }
        }
        router.unary(Coi_Nominations_V1_IdeaStorms.Method.vote, .write("nominations.nominate")) { (request: Coi_Nominations_V1_VoteRequest, context) in
            let account = try context.requireAccount()
            context.audit.target = "proposal:\(request.proposalID)"
            return try await self.write { db in
                let proposal = try Self.proposal(db, request.proposalID, field: "proposal_id")
                let storm = try Self.storm(db, proposal.stormID)
                try Self.requireOpen(storm, for: "voting")
                if request.withdraw {
                    try db.run(sql: "DELETE FROM nominations_votes WHERE proposal_id = ? AND account_id = ?", arguments: [proposal.id, account.id])
                    guard db.changesCount > 0 else {
                        throw RPCError(.notFound, "you have not voted for proposal \(proposal.id)", reason: "VOTE_NOT_FOUND")
                    }
                } else {
                    guard !proposal.withdrawn else {
                        throw RPCError(.failedPrecondition, "proposal \(proposal.id) is withdrawn", reason: "PROPOSAL_WITHDRAWN")
                    }
                    let used = try Int.cachedOne(db, sql: "SELECT COUNT(*) FROM nominations_votes WHERE storm_id = ? AND account_id = ?",
                                                arguments: [storm.id, account.id]) ?? 0
                    try db.run(sql: "INSERT OR IGNORE INTO nominations_votes (proposal_id, storm_id, account_id, created_at) VALUES (?, ?, ?, ?)",
                                   arguments: [proposal.id, storm.id, account.id, Timestamp.now()])
                    guard db.changesCount > 0 else {
                        throw RPCError(.alreadyExists, "you already voted for proposal \(proposal.id)", reason: "ALREADY_VOTED")
                    }
                    guard used < Int(storm.votesPerPerson) else {
                        throw RPCError(.resourceExhausted, "you have used all \(storm.votesPerPerson) votes in storm \(storm.id); "
                                       + "take one back to vote again", reason: "VOTE_LIMIT")
                    }
                }
                try db.run(sql: "UPDATE nominations_proposals SET votes = (SELECT COUNT(*) FROM nominations_votes WHERE proposal_id = ?) WHERE id = ?",
                               arguments: [proposal.id, proposal.id])
                return try Self.proposal(db, proposal.id)
            }
        }
        router.unary(Coi_Nominations_V1_IdeaStorms.Method.assess, .write("nominations.manage")) { (request: Coi_Nominations_V1_AssessRequest, context) in
            guard request.assessment != .unspecified, Coi_Nominations_V1_Assessment(rawValue: request.assessment.rawValue) != nil else {
                throw RPCError.invalidField("assessment", "must be NOT_ANSWERED, EVALUATING, ACCEPTED or REJECTED")
            }
            let final = request.assessment == .accepted || request.assessment == .rejected
            let answer = try Validation.text(request.answer, "answer", limit: 5000, required: final)
            context.audit.target = "proposal:\(request.proposalID)"
            return try await self.write { db in
                let proposal = try Self.proposal(db, request.proposalID, field: "proposal_id")
                guard !proposal.withdrawn else {
                    throw RPCError(.failedPrecondition, "proposal \(proposal.id) is withdrawn by its author", reason: "PROPOSAL_WITHDRAWN")
                }
                try db.run(sql: "UPDATE nominations_proposals SET assessment = ?, answer = ?, answered_at = ? WHERE id = ?",
                               arguments: [request.assessment.rawValue, answer, answer.isEmpty ? "" : Timestamp.now(), proposal.id])
                try Events.append(db, campaignID: "", kind: "proposal.assessed", subject: proposal.id, detail: "\(request.assessment)")
                return try Self.proposal(db, proposal.id)
            }
        }
        router.unary(Coi_Nominations_V1_IdeaStorms.Method.withdraw, .write("nominations.nominate")) { (request: Coi_Nominations_V1_WithdrawProposalRequest, context) in
            let account = try context.requireAccount()
            context.audit.target = "proposal:\(request.proposalID)"
            return try await self.write { db in
                let proposal = try Self.proposal(db, request.proposalID, field: "proposal_id")
                guard proposal.authorID == account.id else {
                    throw RPCError(.permissionDenied, "only the author may withdraw proposal \(proposal.id)", reason: "NOT_AUTHOR")
                }
                guard !proposal.withdrawn else {
                    throw RPCError(.failedPrecondition, "proposal \(proposal.id) is already withdrawn", reason: "PROPOSAL_WITHDRAWN")
                }
                guard proposal.assessment != .accepted && proposal.assessment != .rejected else {
                    throw RPCError(.failedPrecondition, "proposal \(proposal.id) is already answered (\(proposal.assessment)); "
                                   + "an answered proposal stays on record", reason: "PROPOSAL_ANSWERED")
                }
                try db.run(sql: "UPDATE nominations_proposals SET withdrawn = 1 WHERE id = ?", arguments: [proposal.id])
                try Events.append(db, campaignID: "", kind: "proposal.withdrawn", subject: proposal.id)
                return try Self.proposal(db, proposal.id)
            }
        }
    }

    static func requireOpen(_ storm: Coi_Nominations_V1_Storm, for action: String) throws {
        guard storm.open else {
            let now = Timestamp.now()
            let state = now < storm.opensAt ? "opens at \(storm.opensAt)" : "closed at \(storm.closesAt)"
            throw RPCError(.failedPrecondition, "idea storm \(storm.id) \(state); \(action) is possible only while it is open",
                           reason: "STORM_NOT_OPEN")
        }
    }

    static func storm(_ db: Database, _ id: String, field: String = "storm_id") throws -> Coi_Nominations_V1_Storm {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let row = try Row.cachedOne(db, sql: "SELECT * FROM nominations_storms WHERE id = ?", arguments: [id]) else {
            throw RPCError(.notFound, "no idea storm \(id)", reason: "STORM_NOT_FOUND")
        }
        return storm(row, now: Timestamp.now())
    }

    static func storm(_ row: Row, now: String) -> Coi_Nominations_V1_Storm {
        .with {
            $0.id = row["id"]
            $0.topic = row["topic"]
            $0.description_p = row["description"]
            $0.opensAt = row["opens_at"]
            $0.closesAt = row["closes_at"]
            $0.votesPerPerson = row["votes_per_person"]
            $0.open = $0.opensAt <= now && now < $0.closesAt
            $0.createdAt = row["created_at"]
            $0.createdBy = row["created_by"]
            $0.updatedBy = row["updated_by"]
            $0.updatedAt = row["updated_at"]
        }
    }

    static let proposalSelect = """
        SELECT p.*, COALESCE(a.full_name, '') AS author_name FROM nominations_proposals p \(AccountNames.join(on: "p.author_id"))
        """

    static func proposal(_ db: Database, _ id: String, field: String = "proposal_id") throws -> Coi_Nominations_V1_Proposal {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let row = try Row.cachedOne(db, sql: proposalSelect + " WHERE p.id = ?", arguments: [id]) else {
            throw RPCError(.notFound, "no proposal \(id)", reason: "PROPOSAL_NOT_FOUND")
        }
        return proposal(row)
    }

    static func proposal(_ row: Row) -> Coi_Nominations_V1_Proposal {
        .with {
            $0.id = row["id"]
            $0.stormID = row["storm_id"]
            $0.authorID = row["author_id"]
            $0.authorName = row["author_name"]
            $0.title = row["title"]
            $0.body = row["body"]
            $0.withdrawn = row["withdrawn"]
            $0.assessment = Coi_Nominations_V1_Assessment(rawValue: row["assessment"]) ?? .notAnswered
            $0.answer = row["answer"]
            $0.answeredAt = row["answered_at"]
            $0.votes = row["votes"]
            $0.comments = row["comments"]
            $0.createdAt = row["created_at"]
        }
    }

    static let commentSelect = """
        SELECT c.*, COALESCE(a.full_name, '') AS author_name FROM nominations_comments c \(AccountNames.join(on: "c.author_id"))
        """

    static func comment(_ db: Database, _ id: String) throws -> Coi_Nominations_V1_Comment {
        guard let row = try Row.cachedOne(db, sql: commentSelect + " WHERE c.id = ?", arguments: [id]) else {
            throw RPCError(.notFound, "no comment \(id)", reason: "COMMENT_NOT_FOUND")
        }
        return comment(row)
    }

    static func comment(_ row: Row) -> Coi_Nominations_V1_Comment {
        .with {
            $0.id = row["id"]
            $0.proposalID = row["proposal_id"]
            $0.authorID = row["author_id"]
            $0.authorName = row["author_name"]
            $0.body = row["body"]
            $0.createdAt = row["created_at"]
        }
    }
}
