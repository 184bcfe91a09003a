public import GRDB
import COIPluginKit
import Foundation

/// Writes generated pages with long histories straight into a database that coid has migrated,
/// for benchmarks: the older revisions go in as plain rows of the plugin's schema (same columns,
/// hashes and parent chain as saves make), the latest through the plugin's own writer, so links,
/// categories, search, cases, recent changes and watchlists are exactly what saves would leave.
public enum WikiBulkLoad {
    /// Inserts one page and its history.
    /// - Parameters:
    ///   - db: A write transaction on a database with the wiki's tables.
    ///   - title: The page's title ("Page", "Talk:Page"; not case pages, which need fields).
    ///   - texts: The revisions' texts, oldest first (at least one).
    ///   - authors: Account ids, used in turn for the revisions.
    ///   - startMicros: The first revision's time in microseconds since 1970; each next one a second later.
    /// - Returns: The page's id.
    @discardableResult
    public static func insertPage(_ db: Database, title: String, texts: [String], authors: [String], startMicros: Int64) throws -> String {
        let parsed = try PageTitle(parsing: title)
        func time(_ index: Int) -> String {
            Timestamp.string(Date(timeIntervalSince1970: Double(startMicros + Int64(index) * 1_000_000) / 1_000_000))
        }
        var page = try PageWriter.createPage(db, title: parsed, now: time(0))
        var parent: Int64 = 0
        let insert = try db.cachedStatement(sql: """
            INSERT INTO wiki_revisions (id, page_seq, parent_seq, title, author_id, created_at, summary, minor, size, sha256, tags, text)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, '', ?)
            """)
        for (index, text) in texts.dropLast().enumerated() {
            try insert.execute(arguments: [Identifier.make("rev"), page.seq, parent, parsed.full, authors[index % authors.count], time(index),
                                           "generated edit \(index + 1)", text.utf8.count, ContentHash.sha256Hex(text), text])
            parent = db.lastInsertedRowID
        }
        page.latestRev = parent
        let last = texts.count - 1
        try PageWriter.append(db, page: page, author: authors[last % authors.count],
                              edit: .init(text: texts[last], summary: "generated edit \(last + 1)", kind: texts.count == 1 ? "create" : "edit"),
                              now: time(last))
        return page.id
    }
}
