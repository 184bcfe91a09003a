import COIPluginKit
import COIProto
import COIWire
import GRDB

extension Wiki {
    /// Undo, rollback and restore: each makes a new revision, tagged, credited to the caller. Their
    /// default summaries name people by account reference, rendered with the current name on every
    /// read, so an erasure leaves no name behind in history, recent changes or exports.
    func registerRevisionTools(_ router: inout Router) {
        let wiki = self
        router.unary(Coi_Wiki_V1_Pages.Method.undo, .write("wiki.edit")) { (request: Coi_Wiki_V1_UndoRequest, context) -> Coi_Wiki_V1_SaveReply in
            let author = try context.requireAccount()
            let reply = try await wiki.write { db -> Coi_Wiki_V1_SaveReply in
                let target = try RevisionRecord.require(db, id: request.revisionID, field: "revision_id")
                let (page, head) = try Self.changeablePage(db, seq: target.pageSeq, context)
                guard target.parentSeq != 0, let parent = try RevisionRecord.fetch(db, seq: target.parentSeq) else {
                    throw RPCError(.failedPrecondition, "\(target.id) created \"\(page.title.full)\"; undoing it would empty the page — "
                                   + "delete the page instead", reason: "FIRST_REVISION")
                }
                // Undo is a merge that applies the revision's change backwards onto the latest text.
                let result = try Self.threeWay(title: page.title.full, baseID: target.id, head: head,
                                               base: (target.text, target.fields), ours: (parent.text, parent.fields),
                                               what: "undo of \(target.id)")
                guard result.text != head.text || result.fields != head.fields else {
                    throw RPCError(.failedPrecondition, "nothing to undo: the changes of \(target.id) are no longer in \"\(page.title.full)\"",
                                   reason: "NOTHING_TO_UNDO")
                }
                let summary = try Self.summary(request.summary, default: "Undo revision \(target.id) by \(AccountNames.reference(target.authorID))")
                let (updated, revision) = try PageWriter.append(db, page: page, author: author.id, edit: .init(
                    text: result.text, summary: summary, tags: ["undo"], caseFields: try Self.fieldsJSON(result.fields)), now: Timestamp.now())
                return Self.saveReply(db, page: updated, revision: revision)
            }
            wiki.changes.publish()
            return reply
        }
        router.unary(Coi_Wiki_V1_Pages.Method.rollback, .write("wiki.rollback")) { (request: Coi_Wiki_V1_RollbackRequest, context) -> Coi_Wiki_V1_SaveReply in
            let author = try context.requireAccount()
            guard !request.authorID.isEmpty else { throw RPCError.invalidField("author_id", "is required: the author whose edits to roll back") }
            let reply = try await wiki.write { db -> Coi_Wiki_V1_SaveReply in
                let page = try PageRecord.require(db, title: request.title, deletedToo: true)
                let (_, head) = try Self.changeablePage(db, seq: page.seq, context)
                guard head.authorID == request.authorID else {
                    throw RPCError(.failedPrecondition, "the latest revision of \"\(page.title.full)\" (\(head.id)) is by \(head.authorName) "
                                   + "(\(head.authorID)), not \(request.authorID): there is no run of their edits to roll back",
                                   reason: "NOT_LATEST_AUTHOR")
                }
                guard let restoredSeq = try Int64.fetchOne(db, sql: """
                    SELECT seq FROM wiki_revisions WHERE page_seq = ? AND author_id <> ? ORDER BY seq DESC LIMIT 1
                    """, arguments: [page.seq, request.authorID]), let restored = try RevisionRecord.fetch(db, seq: restoredSeq) else {
                    throw RPCError(.failedPrecondition, "every revision of \"\(page.title.full)\" is by \(head.authorName); nothing to roll back to "
                                   + "(delete the page instead)", reason: "NO_EARLIER_AUTHOR")
                }
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM wiki_revisions WHERE page_seq = ? AND seq > ?",
                                             arguments: [page.seq, restoredSeq]) ?? 0
                let summary = try Self.summary(request.summary, default: "Rolled back \(count) \(count == 1 ? "edit" : "edits") by "
                                               + "\(AccountNames.reference(head.authorID)) to \(restored.id) by \(AccountNames.reference(restored.authorID))")
                let (updated, revision) = try PageWriter.append(db, page: page, author: author.id, edit: .init(
                    text: restored.text, summary: summary, tags: ["rollback"], caseFields: restored.caseFields), now: Timestamp.now())
                return Self.saveReply(db, page: updated, revision: revision)
            }
            context.audit.target = "page:\(reply.page.id)"
            wiki.changes.publish()
            return reply
        }
        router.unary(Coi_Wiki_V1_Pages.Method.restore, .write("wiki.edit")) { (request: Coi_Wiki_V1_RestoreRevisionRequest, context) -> Coi_Wiki_V1_SaveReply in
            let author = try context.requireAccount()
            let reply = try await wiki.write { db -> Coi_Wiki_V1_SaveReply in
                let old = try RevisionRecord.require(db, id: request.revisionID, field: "revision_id")
                let (page, head) = try Self.changeablePage(db, seq: old.pageSeq, context)
                if !request.baseRevisionID.isEmpty, request.baseRevisionID != head.id {
                    throw RPCError(.aborted, "\"\(page.title.full)\" moved on: the latest revision is \(head.id), not \(request.baseRevisionID); "
                                   + "nothing was restored", reason: "STALE_BASE",
                                   fieldViolations: [.init(field: "base_revision_id", description: "is not the latest revision")])
                }
                guard old.text != head.text || old.caseFields != head.caseFields else {
                    throw RPCError(.failedPrecondition, "\"\(page.title.full)\" already has the content of \(old.id)", reason: "ALREADY_CURRENT")
                }
                let summary = try Self.summary(request.summary, default: "Restored revision \(old.id) by \(AccountNames.reference(old.authorID)) of \(old.createdAt)")
                let (updated, revision) = try PageWriter.append(db, page: page, author: author.id, edit: .init(
                    text: old.text, summary: summary, tags: ["restore"], caseFields: old.caseFields), now: Timestamp.now())
                return Self.saveReply(db, page: updated, revision: revision)
            }
            context.audit.target = "page:\(reply.page.id)"
            wiki.changes.publish()
            return reply
        }
    }

    /// A live page the caller may change, with its latest revision.
    static func changeablePage(_ db: Database, seq: Int64, _ context: RequestContext) throws -> (PageRecord, RevisionRecord) {
        guard let page = try PageRecord.fetch(db, seq: seq) else { throw RPCError(.internal, "revision without page \(seq)") }
        context.audit.target = "page:\(page.id)"
        try page.requireLive()
        try page.requireMayChange(context)
        return (page, try RevisionRecord.latest(db, page: page))
    }
}
