import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB

extension Wiki {
    func registerPages(_ router: inout Router) {
        let wiki = self
        router.unary(Coi_Wiki_V1_Pages.Method.get, .read("wiki.read")) { (request: Coi_Wiki_V1_GetPageRequest, _) -> Coi_Wiki_V1_Page in
            try await wiki.store.pool.read { db in try Self.get(db, request) }
        }
        router.unary(Coi_Wiki_V1_Pages.Method.save, .write("wiki.edit")) { (request: Coi_Wiki_V1_SaveRequest, context) -> Coi_Wiki_V1_SaveReply in
            try await wiki.save(request, context)
        }
        router.unary(Coi_Wiki_V1_Pages.Method.history, .read("wiki.read")) { (request: Coi_Wiki_V1_HistoryRequest, _) -> Coi_Wiki_V1_HistoryReply in
            let size = try PageToken.size(request.pageSize)
            let before = try PageToken.decode(request.pageToken) ?? Int64.max
            return try await wiki.store.pool.read { db in
                let page = try PageRecord.require(db, title: request.title, deletedToo: true)
                let revisions = try RevisionRecord.fetchAll(db, sql: RevisionRecord.selectMeta + """
                     WHERE r.page_seq = ? AND r.seq < ? ORDER BY r.seq DESC LIMIT ?
                    """, arguments: [page.seq, before, size + 1])
                return .with {
                    $0.revisions = revisions.prefix(size).map(\.message)
                    if revisions.count > size { $0.nextPageToken = PageToken.encode(revisions[size - 1].seq) }
                }
            }
        }
        router.unary(Coi_Wiki_V1_Pages.Method.diff, .read("wiki.read")) { (request: Coi_Wiki_V1_DiffRequest, _) -> Coi_Wiki_V1_DiffReply in
            guard request.contextLines >= 0, request.contextLines <= 1000 else {
                throw RPCError.invalidField("context_lines", "must be between 0 and 1000 (0 means the default, 3)")
            }
            let (from, to) = try await wiki.store.pool.read { db in
                (try RevisionRecord.require(db, id: request.fromRevisionID, field: "from_revision_id"),
                 try RevisionRecord.require(db, id: request.toRevisionID, field: "to_revision_id"))
            }
            let hunks = TextDiff.hunks(from.text, to.text, context: request.contextLines == 0 ? 3 : Int(request.contextLines))
            return .with {
                $0.from = from.message
                $0.to = to.message
                $0.hunks = hunks.map(Self.hunkMessage)
                if from.fields != nil || to.fields != nil {
                    $0.fieldChanges = CaseRules.changes(from: from.fields ?? .init(), to: to.fields ?? .init())
                }
            }
        }
        router.unary(Coi_Wiki_V1_Pages.Method.credits, .read("wiki.read")) { (request: Coi_Wiki_V1_CreditsRequest, _) -> Coi_Wiki_V1_CreditsReply in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            return try await wiki.store.pool.read { db in
                let page = try PageRecord.require(db, title: request.title, deletedToo: true)
                let rows = try Row.fetchAll(db, sql: """
                    SELECT r.author_id, COALESCE(a.full_name, r.author_id) AS name, COUNT(*) AS revisions, MIN(r.seq) AS first_seq,
                           MIN(r.created_at) AS first_at, MAX(r.created_at) AS last_at
                    FROM wiki_revisions r \(AccountNames.join(on: "r.author_id"))
                    WHERE r.page_seq = ? GROUP BY r.author_id HAVING MIN(r.seq) > ? ORDER BY first_seq LIMIT ?
                    """, arguments: [page.seq, after, size + 1])
                return .with {
                    $0.credits = rows.prefix(size).map { row in
                        .with {
                            $0.authorID = row["author_id"]
                            $0.authorName = row["name"]
                            $0.revisions = row["revisions"]
                            $0.firstAt = row["first_at"]
                            $0.lastAt = row["last_at"]
                        }
                    }
                    if rows.count > size { $0.nextPageToken = PageToken.encode(rows[size - 1]["first_seq"]) }
                }
            }
        }
    }

    static func get(_ db: Database, _ request: Coi_Wiki_V1_GetPageRequest) throws -> Coi_Wiki_V1_Page {
        var page = try PageRecord.require(db, title: request.title)
        var redirectedFrom = ""
        if !request.revisionID.isEmpty {
            let revision = try RevisionRecord.require(db, id: request.revisionID, field: "revision_id")
            guard revision.pageSeq == page.seq else {
                throw RPCError.invalidField("revision_id", "is a revision of \"\(revision.title)\", not of \"\(page.title.full)\"")
            }
            return pageMessage(db, page: page, revision: revision)
        }
        if !request.noRedirect, let target = page.redirectTo.flatMap(PageTitle.init),
           let destination = try PageRecord.fetch(db, title: target), !destination.deleted {
            redirectedFrom = page.title.full
            page = destination
        }
        return pageMessage(db, page: page, revision: try RevisionRecord.latest(db, page: page), redirectedFrom: redirectedFrom)
    }

    static func hunkMessage(_ hunk: TextDiff.Hunk) -> Coi_Wiki_V1_DiffHunk {
        func op(_ op: TextDiff.Op) -> Coi_Wiki_V1_DiffOp {
            switch op {
            case .equal: .equal
            case .delete: .delete
            case .insert: .insert
            }
        }
        return .with {
            $0.oldStart = Int32(hunk.oldStart)
            $0.oldCount = Int32(hunk.oldCount)
            $0.newStart = Int32(hunk.newStart)
            $0.newCount = Int32(hunk.newCount)
            $0.lines = hunk.lines.map { line in
                .with {
                    $0.op = op(line.op)
                    $0.text = line.text
                    $0.oldLine = Int32(line.oldLine)
                    $0.newLine = Int32(line.newLine)
                }
            }
            $0.words = hunk.words.map { word in .with { $0.op = op(word.op); $0.text = word.text } }
        }
    }

    /// Normalises line endings: the wiki's texts use "\n" only, so diffs never show a change of
    /// line ending as a change of every line.
    static func normalizedText(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// Saves a text edited from `base_revision_id`, merging when the page moved on.
    func save(_ request: Coi_Wiki_V1_SaveRequest, _ context: RequestContext) async throws -> Coi_Wiki_V1_SaveReply {
        let author = try context.requireAccount()
        let title = try PageTitle(parsing: request.title)
        let text = Self.normalizedText(request.text)
        guard text.utf8.count <= settings.maxPageBytes else {
            throw RPCError.invalidField("text", "is \(text.utf8.count) bytes; the most a page may hold is \(settings.maxPageBytes)")
        }
        let summary = try Self.summary(request.summary, default: "")
        let mask = request.caseFieldMask
        if request.hasCaseFields || !mask.isEmpty, title.namespace != .case {
            throw RPCError.invalidField(mask.isEmpty ? "case_fields" : "case_field_mask",
                                        "only case pages (titles \"Case:…\") have case fields")
        }
        // Without a mask, case_fields replace all fields; with one, only the named fields change and
        // the rest keep the base revision's values (checked below, once the base is known).
        let fields = request.hasCaseFields && mask.isEmpty ? try CaseRules.validate(request.caseFields) : nil
        if !mask.isEmpty { _ = try CaseRules.apply(mask: mask, given: request.caseFields, base: nil) }
        context.audit.target = "page:\(title.full)"
        let reply = try await write { db -> Coi_Wiki_V1_SaveReply in
            let now = Timestamp.now()
            guard let page = try PageRecord.fetch(db, title: title) else {
                guard request.baseRevisionID.isEmpty else {
                    throw RPCError(.notFound, "no page \"\(title.full)\" (base_revision_id names a revision, so the page was expected "
                                   + "to exist; it may have been renamed)", reason: "PAGE_NOT_FOUND",
                                   fieldViolations: [.init(field: "title", description: "no such page")])
                }
                let createFields = mask.isEmpty ? fields : try CaseRules.validate(CaseRules.apply(mask: mask, given: request.caseFields, base: nil))
                if title.namespace == .case, createFields == nil {
                    throw RPCError.invalidField("case_fields", "are required to create a case page (level, municipality or region, sector …)")
                }
                let created = try PageWriter.createPage(db, title: title, now: now)
                let (page, revision) = try PageWriter.append(db, page: created, author: author.id, edit: .init(
                    text: text, summary: summary, minor: request.minor, caseFields: try Self.fieldsJSON(createFields), kind: "create"), now: now)
                context.audit.target = "page:\(page.id)"
                return Self.saveReply(db, page: page, revision: revision)
            }
            context.audit.target = "page:\(page.id)"
            try page.requireLive()
            try page.requireMayChange(context)
            let head = try RevisionRecord.latest(db, page: page)
            guard !request.baseRevisionID.isEmpty else {
                throw RPCError(.aborted, "page \"\(page.title.full)\" already exists (latest revision \(head.id)); name the revision "
                               + "your text was edited from in base_revision_id", reason: "PAGE_EXISTS",
                               fieldViolations: [.init(field: "base_revision_id", description: "required: the page exists")])
            }
            let base = request.baseRevisionID == head.id ? head
                : try RevisionRecord.require(db, id: request.baseRevisionID, field: "base_revision_id")
            guard base.pageSeq == page.seq else {
                throw RPCError.invalidField("base_revision_id", "is a revision of \"\(base.title)\", not of \"\(page.title.full)\"")
            }
            let ours = mask.isEmpty ? fields ?? base.fields
                : try CaseRules.validate(CaseRules.apply(mask: mask, given: request.caseFields, base: base.fields))
            var result = (text: text, fields: ours)
            var mergedWith: [String] = []
            if base.seq != head.seq {
                result = try Self.threeWay(title: page.title.full, baseID: base.id, head: head,
                                           base: (base.text, base.fields), ours: result)
                mergedWith = try String.fetchAll(db, sql: "SELECT id FROM wiki_revisions WHERE page_seq = ? AND seq > ? ORDER BY seq",
                                                 arguments: [page.seq, base.seq])
            }
            if result.text == head.text, result.fields == head.fields {
                var reply = Self.saveReply(db, page: page, revision: head, merged: !mergedWith.isEmpty, mergedWith: mergedWith)
                reply.unchanged = true
                return reply
            }
            let fieldsText = try Self.fieldsJSON(result.fields.map(CaseRules.validate))
            let (updated, revision) = try PageWriter.append(db, page: page, author: author.id, edit: .init(
                text: result.text, summary: summary, minor: request.minor, tags: mergedWith.isEmpty ? [] : ["merged"],
                caseFields: fieldsText), now: now)
            return Self.saveReply(db, page: updated, revision: revision, merged: !mergedWith.isEmpty, mergedWith: mergedWith)
        }
        if !reply.unchanged { changes.publish() }
        return reply
    }
}
