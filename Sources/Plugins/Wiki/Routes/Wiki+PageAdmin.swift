import COIPluginKit
import COIProto
import COIWire
import GRDB

extension Wiki {
    /// Rename, delete, undelete and protect: history is always kept.
    func registerPageAdmin(_ router: inout Router) {
        let wiki = self
        router.unary(Coi_Wiki_V1_Pages.Method.rename, .write("wiki.move")) { (request: Coi_Wiki_V1_RenameRequest, context) -> Coi_Wiki_V1_Page in
            let author = try context.requireAccount()
            let newTitle = try PageTitle(parsing: request.newTitle, field: "new_title")
            let page = try await wiki.write { db -> Coi_Wiki_V1_Page in
                let page = try PageRecord.require(db, title: request.title, deletedToo: true)
                let (_, head) = try Self.changeablePage(db, seq: page.seq, context)
                let oldTitle = page.title
                guard newTitle != oldTitle else { throw RPCError.invalidField("new_title", "is the page's current title") }
                guard (newTitle.namespace == .case) == (oldTitle.namespace == .case) else {
                    throw RPCError.invalidField("new_title", "cannot move a page into or out of the case namespace (case fields would be lost or missing)")
                }
                let now = Timestamp.now()
                if let existing = try PageRecord.fetch(db, title: newTitle), existing.seq != page.seq {
                    guard try Self.isLoneRedirect(db, existing, to: oldTitle) else {
                        throw RPCError(.alreadyExists, "a page \"\(existing.title.full)\" already exists\(existing.deleted ? " (deleted)" : "")",
                                       reason: "PAGE_EXISTS", fieldViolations: [.init(field: "new_title", description: "taken")])
                    }
                    try Self.retireRedirect(db, existing, movedFrom: oldTitle, actor: author.id, now: now)
                }
                try db.execute(sql: "UPDATE wiki_pages SET namespace = ?, title = ?, title_key = ? WHERE seq = ?",
                               arguments: [newTitle.namespace.rawValue, newTitle.name, newTitle.key, page.seq])
                var moved = page
                moved.title = newTitle
                let summary = try Self.summary(request.summary, default: "")
                let line = "Renamed \"\(oldTitle.full)\" to \"\(newTitle.full)\"" + (summary.isEmpty ? "" : ": \(summary)")
                let (updated, revision) = try PageWriter.append(db, page: moved, author: author.id, edit: .init(
                    text: head.text, summary: line, minor: true, tags: ["rename"], caseFields: head.caseFields, kind: "rename"), now: now)
                if !request.noRedirect {
                    let redirect = try PageWriter.createPage(db, title: oldTitle, now: now)
                    try PageWriter.append(db, page: redirect, author: author.id, edit: .init(
                        text: "#REDIRECT [[\(newTitle.full)]]\n", summary: line, tags: ["redirect"], kind: "create"), now: now)
                }
                return Self.pageMessage(db, page: updated, revision: revision)
            }
            wiki.changes.publish()
            return page
        }
        router.unary(Coi_Wiki_V1_Pages.Method.delete, .write("wiki.delete")) { (request: Coi_Wiki_V1_DeletePageRequest, context) -> Coi_Wiki_V1_Page in
            try await wiki.setDeleted(true, title: request.title, reason: request.reason, context)
        }
        router.unary(Coi_Wiki_V1_Pages.Method.undelete, .write("wiki.delete")) { (request: Coi_Wiki_V1_UndeletePageRequest, context) -> Coi_Wiki_V1_Page in
            try await wiki.setDeleted(false, title: request.title, reason: request.reason, context)
        }
        router.unary(Coi_Wiki_V1_Pages.Method.protect, .write("wiki.protect")) { (request: Coi_Wiki_V1_ProtectRequest, context) -> Coi_Wiki_V1_Page in
            let actor = try context.requireAccount()
            let level: String = switch request.level {
            case .open: "open"
            case .moderated: "moderated"
            case .adminOnly: "admin"
            default: throw RPCError.invalidField("level", "must be OPEN, MODERATED or ADMIN_ONLY")
            }
            if level == "admin", !context.principal.isAdmin {
                throw RPCError(.permissionDenied, "only admins may protect a page at level ADMIN_ONLY", reason: "PERMISSION_DENIED")
            }
            let reason = try Self.summary(request.reason, default: "", field: "reason")
            context.audit.reason = reason
            let page = try await wiki.write { db -> Coi_Wiki_V1_Page in
                var page = try PageRecord.require(db, title: request.title)
                context.audit.target = "page:\(page.id)"
                try page.requireMayChange(context)
                guard page.protection != level else {
                    throw RPCError(.failedPrecondition, "\"\(page.title.full)\" is already protected at level \(request.level)",
                                   reason: "ALREADY_SET")
                }
                let now = Timestamp.now()
                try db.execute(sql: "UPDATE wiki_pages SET protection = ?, updated_at = ? WHERE seq = ?", arguments: [level, now, page.seq])
                page.protection = level
                page.updatedAt = now
                try PageWriter.logChange(db, kind: "protect", page: page, actor: actor.id,
                                         summary: "Protection \(level)" + (reason.isEmpty ? "" : ": \(reason)"), now: now)
                return Self.pageMessage(db, page: page, revision: try RevisionRecord.latest(db, page: page))
            }
            wiki.changes.publish()
            return page
        }
    }

    /// Deletes or undeletes a page: its revisions stay; only its presence in links, search and
    /// lists changes.
    /// Whether `page` is a redirect to `target` with no history of its own (one revision), which a
    /// move back may replace, as in MediaWiki: undoing a rename needs no administrator.
    static func isLoneRedirect(_ db: Database, _ page: PageRecord, to target: PageTitle) throws -> Bool {
        guard !page.deleted, let redirect = page.redirectTo, (try? PageTitle(parsing: redirect, field: "redirect")) == target else { return false }
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM wiki_revisions WHERE page_seq = ?", arguments: [page.seq]) == 1
    }

    /// Deletes a lone redirect so its title is free, keeping its row and revision (history and
    /// recent changes refer to them): its title key gets a '#' form no parsed title can have.
    static func retireRedirect(_ db: Database, _ redirect: PageRecord, movedFrom title: PageTitle, actor: String, now: String) throws {
        try PageWriter.unindex(db, pageSeq: redirect.seq)
        try db.execute(sql: "UPDATE wiki_pages SET deleted = 1, title_key = ?, updated_at = ? WHERE seq = ?",
                       arguments: ["#retired#\(redirect.id)", now, redirect.seq])
        var retired = redirect
        retired.deleted = true
        try PageWriter.logChange(db, kind: "delete", page: retired, actor: actor,
                                 summary: "Deleted to make way for the move of \"\(title.full)\"", now: now)
    }

    func setDeleted(_ deleted: Bool, title: String, reason: String, _ context: RequestContext) async throws -> Coi_Wiki_V1_Page {
        let actor = try context.requireAccount()
        let reason = try Self.summary(reason, default: "", field: "reason")
        context.audit.reason = reason
        let page = try await write { db -> Coi_Wiki_V1_Page in
            var page = try PageRecord.require(db, title: title, deletedToo: true)
            context.audit.target = "page:\(page.id)"
            try page.requireMayChange(context)
            guard page.deleted != deleted else {
                throw RPCError(.failedPrecondition, "\"\(page.title.full)\" is \(page.deleted ? "already deleted" : "not deleted")",
                               reason: page.deleted ? "PAGE_DELETED" : "PAGE_NOT_DELETED")
            }
            let now = Timestamp.now()
            try db.execute(sql: "UPDATE wiki_pages SET deleted = ?, updated_at = ? WHERE seq = ?", arguments: [deleted, now, page.seq])
            page.deleted = deleted
            page.updatedAt = now
            let head = try RevisionRecord.latest(db, page: page)
            if deleted {
                try PageWriter.unindex(db, pageSeq: page.seq)
            } else {
                try PageWriter.reindex(db, page: page, text: head.text, caseFields: head.caseFields)
            }
            try PageWriter.logChange(db, kind: deleted ? "delete" : "undelete", page: page, actor: actor.id, summary: reason, now: now)
            return Self.pageMessage(db, page: page, revision: head)
        }
        changes.publish()
        return page
    }
}
