import COIPluginKit
import COIProto
import COIWire
import GRDB

/// Every write to a page goes through here, inside the caller's transaction: the revision, the
/// page row, the derived tables (links, categories, search, cases), the change log and the
/// author's watchlist change together or not at all.
enum PageWriter {
    /// A new revision's content and labels.
    struct Edit {
        var text: String
        var summary: String
        var minor = false
        var tags: [String] = []
        /// Protobuf JSON of the case fields; empty for other namespaces.
        var caseFields = ""
        /// The change-log kind: "create", "edit", "rename", "import".
        var kind = "edit"
        /// Whether the author starts watching the page (not for imported history: they did not write it here).
        var watch = true
    }

    /// Inserts a page row without revisions; `append` gives it its first.
    static func createPage(_ db: Database, title: PageTitle, now: String) throws -> PageRecord {
        try db.run(sql: """
            INSERT INTO wiki_pages (id, namespace, title, title_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [Identifier.make("pg"), title.namespace.rawValue, title.name, title.key, now, now])
        guard let page = try PageRecord.fetch(db, seq: db.lastInsertedRowID) else { throw RPCError(.internal, "page vanished") }
        return page
    }

    /// Appends a revision by `author` to `page` (its parent is the page's latest revision).
    /// - Returns: The page as updated and the new revision.
    @discardableResult
    static func append(_ db: Database, page: PageRecord, author: String, edit: Edit, now: String,
                       revisionID: String = Identifier.make("rev"), createdAt: String? = nil) throws -> (PageRecord, RevisionRecord) {
        let size = Int64(edit.text.utf8.count)
        let previousSize = try Int64.fetchOne(db.cachedStatement(sql: "SELECT size FROM wiki_revisions WHERE seq = ?"), arguments: [page.latestRev]) ?? 0
        try db.run(sql: """
            INSERT INTO wiki_revisions (id, page_seq, parent_seq, title, author_id, created_at, summary, minor, size, sha256, tags, text, case_fields)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [revisionID, page.seq, page.latestRev, page.title.full, author, createdAt ?? now, edit.summary, edit.minor,
                             size, ContentHash.sha256Hex(edit.text), edit.tags.joined(separator: ","), edit.text, edit.caseFields])
        let revisionSeq = db.lastInsertedRowID
        let markup = WikiMarkup(parsing: edit.text)
        try db.run(sql: "UPDATE wiki_pages SET latest_rev = ?, redirect_to = ?, updated_at = ? WHERE seq = ?",
                       arguments: [revisionSeq, markup.redirect?.full, now, page.seq])
        var updated = page
        updated.latestRev = revisionSeq
        updated.redirectTo = markup.redirect?.full
        updated.updatedAt = now
        try reindex(db, page: updated, text: edit.text, markup: markup, caseFields: edit.caseFields)
        try logChange(db, kind: edit.kind, page: updated, revisionSeq: revisionSeq, actor: author, summary: edit.summary,
                      minor: edit.minor, sizeDelta: size - previousSize, tags: edit.tags, now: now)
        // Authors follow what they write, as in MediaWiki.
        if edit.watch {
            try db.run(sql: "INSERT OR IGNORE INTO wiki_watch (account_id, page_seq, created_at) VALUES (?, ?, ?)",
                           arguments: [author, page.seq, now])
        }
        guard let revision = try RevisionRecord.fetch(db, seq: revisionSeq) else { throw RPCError(.internal, "revision vanished") }
        return (updated, revision)
    }

    /// Rewrites the derived rows of a live page from its latest text.
    static func reindex(_ db: Database, page: PageRecord, text: String, markup: WikiMarkup? = nil, caseFields: String) throws {
        let markup = markup ?? WikiMarkup(parsing: text)
        try unindex(db, pageSeq: page.seq)
        for link in markup.links {
            try db.run(sql: "INSERT OR IGNORE INTO wiki_link_targets (namespace, title_key, title) VALUES (?, ?, ?)",
                           arguments: [link.namespace.rawValue, link.key, link.full])
            try db.run(sql: """
                INSERT OR IGNORE INTO wiki_links (page_seq, target_seq)
                SELECT ?, seq FROM wiki_link_targets WHERE namespace = ? AND title_key = ?
                """, arguments: [page.seq, link.namespace.rawValue, link.key])
        }
        for category in markup.categories {
            try db.run(sql: "INSERT OR IGNORE INTO wiki_categories (page_seq, category_key, category) VALUES (?, ?, ?)",
                           arguments: [page.seq, category.lowercased(), category])
        }
        if markup.redirect == nil {
            try db.run(sql: "INSERT INTO wiki_search (rowid, title, body) VALUES (?, ?, ?)",
                           arguments: [page.seq, DanishFolding.fold(page.title.name), DanishFolding.fold(text)])
        }
        if page.title.namespace == .case, let fields = try? Coi_Wiki_V1_CaseFields(jsonString: caseFields) {
            try db.run(sql: """
                INSERT INTO wiki_cases (page_seq, level, municipality_code, region_code, sector) VALUES (?, ?, ?, ?, ?)
                """, arguments: [page.seq, CaseRules.levelName(fields.level), fields.municipalityCode, fields.regionCode, fields.sector])
        }
    }

    /// Removes a page's derived rows (on delete, and before reindexing).
    static func unindex(_ db: Database, pageSeq: Int64) throws {
        try db.run(sql: "DELETE FROM wiki_links WHERE page_seq = ?", arguments: [pageSeq])
        try db.run(sql: "DELETE FROM wiki_categories WHERE page_seq = ?", arguments: [pageSeq])
        try db.run(sql: "DELETE FROM wiki_search WHERE rowid = ?", arguments: [pageSeq])
        try db.run(sql: "DELETE FROM wiki_cases WHERE page_seq = ?", arguments: [pageSeq])
    }

    /// Adds an entry to recent changes.
    static func logChange(_ db: Database, kind: String, page: PageRecord, revisionSeq: Int64 = 0, actor: String, summary: String,
                          minor: Bool = false, sizeDelta: Int64 = 0, tags: [String] = [], now: String) throws {
        try db.run(sql: """
            INSERT INTO wiki_changes (time, kind, page_seq, namespace, title, revision_seq, actor_id, summary, minor, size_delta, tags)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [now, kind, page.seq, page.title.namespace.rawValue, page.title.full, revisionSeq, actor, summary, minor,
                             sizeDelta, tags.joined(separator: ",")])
    }
}
