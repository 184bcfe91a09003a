import COIPluginKit
import COIProto
import GRDB

extension NetworkService {
    func registerTasks(_ router: inout Router) {
        router.unary(Coi_Network_V1_Tasks.Method.draft, .write("network.participate")) { (request: Coi_Network_V1_DraftTaskRequest, context) in
            let account = try context.requireAccount()
            let title = try Validation.text(request.title, "title", limit: 200)
            let statement = try Validation.text(request.statement, "statement", limit: 20_000)
            let id = Identifier.make("tsk")
            context.audit.target = "task:\(id)"
            return try await self.write { db in
                let member = try Self.activeMember(db, account: account.id)
                let now = Timestamp.now()
                try db.run(sql: """
                    INSERT INTO network_tasks (id, title, statement, state, author_member_id, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)
                    """, arguments: [id, title, statement, member.id, now, now])
                try db.run(sql: """
                    INSERT INTO network_task_revisions (task_id, revision, title, statement, summary, author_id, created_at)
                    VALUES (?, 1, ?, ?, 'first draft', ?, ?)
                    """, arguments: [id, title, statement, account.id, now])
                return try TaskRecord.require(db, id: id).message(db)
            }
        }
        router.unary(Coi_Network_V1_Tasks.Method.revise, .write("network.participate")) { (request: Coi_Network_V1_ReviseTaskRequest, context) in
            let account = try context.requireAccount()
            let manager = Self.isManager(context)
            let title = try Validation.text(request.title, "title", limit: 200)
            let statement = try Validation.text(request.statement, "statement", limit: 20_000)
            let summary = try Validation.text(request.summary, "summary", limit: 500, required: false)
            context.audit.target = "task:\(request.id)"
            return try await self.write { db in
                let task = try Self.ownTask(db, request.id, account: account.id, manager: manager)
                try Validation.version(request.version, stored: task.version, what: "essential task \(task.id)")
                let endorsed = try Int.cachedOne(db, sql: "SELECT COUNT(*) FROM network_endorsements WHERE task_id = ?", arguments: [task.id]) ?? 0
                // Endorsers backed a text; changing it under them would misstate what they endorsed.
                guard task.state == .draft || (task.state == .open && endorsed == 0) else {
                    throw RPCError(.failedPrecondition, "essential task \(task.id) is \(task.state.name) with \(endorsed) endorsements; "
                                   + "its text can change only as a DRAFT or while OPEN without endorsements", reason: "WRONG_STATE")
                }
                let now = Timestamp.now()
                try db.run(sql: """
                    UPDATE network_tasks SET title = ?, statement = ?, revision = revision + 1, version = version + 1, updated_at = ? WHERE id = ?
                    """, arguments: [title, statement, now, task.id])
                try db.run(sql: """
                    INSERT INTO network_task_revisions (task_id, revision, title, statement, summary, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [task.id, task.revision + 1, title, statement, summary, account.id, now])
                return try TaskRecord.require(db, id: task.id).message(db)
            }
        }
        router.unary(Coi_Network_V1_Tasks.Method.get, .read("network.read")) { (request: Coi_Network_V1_TaskRequest, context) in
            let manager = Self.isManager(context)
            let viewer = context.principal.account?.id
            return try await self.read { db in try TaskRecord.require(db, id: request.id, viewer: viewer, manager: manager).message(db) }
        }
        router.unary(Coi_Network_V1_Tasks.Method.list, .read("network.read")) { (request: Coi_Network_V1_ListTasksRequest, context) in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            let manager = Self.isManager(context)
            let viewer = context.principal.account?.id ?? ""
            return try await self.read { db in
                let records = try TaskRecord.fetch(db, """
                    WHERE t.seq > ? AND (? = 0 OR t.state = ?) AND (? OR t.state <> 1 OR m.account_id = ?) ORDER BY t.seq LIMIT ?
                    """, [after, request.state.rawValue, request.state.rawValue, manager, viewer, size + 1])
                return try Coi_Network_V1_ListTasksReply.with {
                    $0.tasks = try records.prefix(size).map { try $0.message(db) }
                    if records.count > size, let last = records.prefix(size).last { $0.nextPageToken = PageToken.encode(last.seq) }
                }
            }
        }
        router.unary(Coi_Network_V1_Tasks.Method.listRevisions, .read("network.read")) { (request: Coi_Network_V1_TaskRequest, context) in
            let manager = Self.isManager(context)
            let viewer = context.principal.account?.id
            return try await self.read { db in
                let task = try TaskRecord.require(db, id: request.id, viewer: viewer, manager: manager)
                return Coi_Network_V1_ListRevisionsReply.with {
                    $0.revisions = (try? Row.cachedAll(db, sql: """
                        SELECT r.*, COALESCE(a.full_name, '') AS author_name FROM network_task_revisions r \(AccountNames.join(on: "r.author_id"))
                        WHERE r.task_id = ? ORDER BY r.revision
                        """, arguments: [task.id]).map { row in
                        Coi_Network_V1_TaskRevision.with {
                            $0.revision = row["revision"]
                            $0.title = row["title"]
                            $0.statement = row["statement"]
                            $0.summary = row["summary"]
                            $0.authorName = row["author_name"]
                            $0.createdAt = row["created_at"]
                        }
                    }) ?? []
                }
            }
        }
        router.unary(Coi_Network_V1_Tasks.Method.open, .write("network.participate")) { (request: Coi_Network_V1_TaskRequest, context) in
            // A manager acts as the network's administrator and needs no account of their own here.
            let account = context.principal.account?.id ?? ""
            let manager = Self.isManager(context)
            context.audit.target = "task:\(request.id)"
            return try await self.write { db in
                let task = try Self.ownTask(db, request.id, account: account, manager: manager)
                guard task.state == .draft else {
                    throw RPCError(.failedPrecondition, "essential task \(task.id) is \(task.state.name); only a DRAFT opens for endorsement",
                                   reason: "WRONG_STATE")
                }
                try Self.setState(db, task.id, .open)
                return try TaskRecord.require(db, id: task.id).message(db)
            }
        }
        router.unary(Coi_Network_V1_Tasks.Method.endorse, .write("network.participate")) { (request: Coi_Network_V1_TaskRequest, context) in
            let account = try context.requireAccount()
            let needed = self.settings.publishMinParties
            context.audit.target = "task:\(request.id)"
            return try await self.write { db in
                let member = try Self.activeMember(db, account: account.id)
                let task = try TaskRecord.require(db, id: request.id, viewer: account.id, manager: false)
                guard task.state == .open || task.state == .published else {
                    throw RPCError(.failedPrecondition, "essential task \(task.id) is \(task.state.name); endorsements need OPEN or PUBLISHED",
                                   reason: "WRONG_STATE")
                }
                if try Bool.cachedOne(db, sql: "SELECT 1 FROM network_endorsements WHERE task_id = ? AND member_id = ?",
                                      arguments: [task.id, member.id]) ?? false {
                    throw RPCError(.alreadyExists, "you already endorsed essential task \(task.id)", reason: "ALREADY_ENDORSED")
                }
                try db.run(sql: "INSERT INTO network_endorsements (task_id, member_id, party, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [task.id, member.id, member.party, Timestamp.now()])
                let parties = try TaskRecord.parties(db, task.id)
                try Events.append(db, "task.endorsed", task.id, detail: "\(parties.count) parties")
                // Published once members of enough parties back it: the aim is not agreement, but
                // cross-party support for what politicians should do.
                if task.state == .open && parties.count >= needed { try Self.setState(db, task.id, .published) }
                return try TaskRecord.require(db, id: task.id).message(db)
            }
        }
        router.unary(Coi_Network_V1_Tasks.Method.unendorse, .write("network.participate")) { (request: Coi_Network_V1_TaskRequest, context) in
            let account = try context.requireAccount()
            context.audit.target = "task:\(request.id)"
            return try await self.write { db in
                let member = try Self.activeMember(db, account: account.id)
                let task = try TaskRecord.require(db, id: request.id, viewer: account.id, manager: false)
                guard task.state == .open else {
                    throw RPCError(.failedPrecondition, "essential task \(task.id) is \(task.state.name); an endorsement is taken back only while OPEN",
                                   reason: "WRONG_STATE")
                }
                try db.run(sql: "DELETE FROM network_endorsements WHERE task_id = ? AND member_id = ?", arguments: [task.id, member.id])
                guard db.changesCount == 1 else {
                    throw RPCError(.notFound, "you have not endorsed essential task \(task.id)", reason: "NOT_ENDORSED")
                }
                return try TaskRecord.require(db, id: task.id).message(db)
            }
        }
        router.unary(Coi_Network_V1_Tasks.Method.withdraw, .write("network.participate")) { (request: Coi_Network_V1_TaskRequest, context) in
            let account = context.principal.account?.id ?? ""
            let manager = Self.isManager(context)
            context.audit.target = "task:\(request.id)"
            return try await self.write { db in
                let task = try Self.ownTask(db, request.id, account: account, manager: manager)
                guard task.state != .withdrawn else {
                    throw RPCError(.failedPrecondition, "essential task \(task.id) is already WITHDRAWN", reason: "WRONG_STATE")
                }
                try Self.setState(db, task.id, .withdrawn)
                return try TaskRecord.require(db, id: task.id).message(db)
            }
        }
        router.unary(Coi_Network_V1_Tasks.Method.comment, .write("network.participate")) { (request: Coi_Network_V1_CommentRequest, context) in
            let account = try context.requireAccount()
            let manager = Self.isManager(context)
            let body = try Validation.text(request.body, "body", limit: 10_000)
            let id = Identifier.make("tcm")
            context.audit.target = "task:\(request.taskID)"
            return try await self.write { db in
                let member = try Self.activeMember(db, account: account.id)
                let task = try TaskRecord.require(db, id: request.taskID, field: "task_id", viewer: account.id, manager: manager)
                guard task.state != .withdrawn else {
                    throw RPCError(.failedPrecondition, "essential task \(task.id) is WITHDRAWN; it takes no comments", reason: "WRONG_STATE")
                }
                try db.run(sql: "INSERT INTO network_task_comments (id, task_id, member_id, body, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, task.id, member.id, body, Timestamp.now()])
                try Events.append(db, "task.commented", task.id)
                return try Self.comments(db, "WHERE c.id = ?", [id]).first ?? Coi_Network_V1_TaskComment()
            }
        }
        router.unary(Coi_Network_V1_Tasks.Method.listComments, .read("network.read")) { (request: Coi_Network_V1_TaskRequest, context) in
            let manager = Self.isManager(context)
            let viewer = context.principal.account?.id
            return try await self.read { db in
                let task = try TaskRecord.require(db, id: request.id, viewer: viewer, manager: manager)
                return Coi_Network_V1_ListCommentsReply.with { $0.comments = (try? Self.comments(db, "WHERE c.task_id = ? ORDER BY c.seq", [task.id])) ?? [] }
            }
        }
    }

    /// The caller's active membership: only members draft, comment and endorse.
    static func activeMember(_ db: Database, account: String) throws -> MemberRecord {
        guard let member = try MemberRecord.current(db, accountID: account), member.status == .active else {
            throw RPCError(.failedPrecondition, "you are not an active member of the network", reason: "NOT_A_MEMBER")
        }
        return member
    }

    /// A task the caller may change: their own, or any for a manager.
    static func ownTask(_ db: Database, _ id: String, account: String, manager: Bool) throws -> TaskRecord {
        let task = try TaskRecord.require(db, id: id, viewer: account, manager: manager)
        guard manager || task.authorAccountID == account else {
            throw RPCError(.permissionDenied, "only the author or a network manager changes essential task \(task.id)", reason: "NOT_YOURS")
        }
        return task
    }

    static func setState(_ db: Database, _ id: String, _ state: Coi_Network_V1_TaskState) throws {
        let now = Timestamp.now()
        try db.run(sql: """
            UPDATE network_tasks SET state = ?, version = version + 1, updated_at = ?,
                published_at = CASE WHEN ? = 3 THEN ? ELSE published_at END WHERE id = ?
            """, arguments: [state.rawValue, now, state.rawValue, now, id])
        try Events.append(db, "task.\(state.name.lowercased())", id)
    }

    static func comments(_ db: Database, _ clause: String, _ arguments: StatementArguments) throws -> [Coi_Network_V1_TaskComment] {
        try Row.cachedAll(db, sql: """
            SELECT c.*, m.party, COALESCE(a.full_name, '') AS author_name FROM network_task_comments c
            JOIN network_members m ON m.id = c.member_id \(AccountNames.join(on: "m.account_id")) \(clause)
            """, arguments: arguments).map { row in
            Coi_Network_V1_TaskComment.with {
                $0.id = row["id"]
                $0.taskID = row["task_id"]
                $0.authorName = row["author_name"]
                $0.party = row["party"]
                $0.body = row["body"]
                $0.createdAt = row["created_at"]
            }
        }
    }
}
