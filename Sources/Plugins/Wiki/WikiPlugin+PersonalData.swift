public import COIPluginKit
public import GRDB

extension WikiPlugin: PersonalDataHolder {
    /// The person's contributions (every revision they authored, without texts, which belong to
    /// the pages) and their watchlist.
    /// - Parameters:
    ///   - accountID: The account.
    ///   - db: A read transaction.
    /// - Returns: A JSON-serializable dictionary, or nil when the wiki holds nothing about them.
    public func exportPersonalData(accountID: String, db: Database) throws -> Any? {
        let contributions = try Row.fetchAll(db, sql: """
            SELECT r.id, p.id AS page_id, r.title, r.created_at, r.summary, r.minor, r.size, r.tags,
                   \(AccountNames.referencedNames(in: "r.summary")) AS summary_names
            FROM wiki_revisions r JOIN wiki_pages p ON p.seq = r.page_seq WHERE r.author_id = ? ORDER BY r.seq
            """, arguments: [accountID]).map { row -> [String: Any] in
            ["revision_id": row["id"] as String, "page_id": row["page_id"] as String, "title": row["title"] as String,
             "created_at": row["created_at"] as String, "summary": AccountNames.render(row["summary"], names: row["summary_names"]), "minor": row["minor"] as Bool,
             "size": row["size"] as Int64, "tags": row["tags"] as String]
        }
        let watchlist = try Row.fetchAll(db, sql: """
            SELECT p.id, p.namespace, p.title, w.created_at FROM wiki_watch w JOIN wiki_pages p ON p.seq = w.page_seq
            WHERE w.account_id = ? ORDER BY p.seq
            """, arguments: [accountID]).map { row -> [String: Any] in
            ["page_id": row["id"] as String,
             "title": PageTitle(namespace: PageTitle.Namespace(rawValue: row["namespace"]) ?? .main, name: row["title"]).full,
             "since": row["created_at"] as String]
        }
        if contributions.isEmpty && watchlist.isEmpty { return nil }
        return ["contributions": contributions, "watchlist": watchlist]
    }

    /// Removes the watchlist. Contributions stay credited by account id; the name shown is read
    /// from identity_accounts, which erasure turns into "former contributor N". Summaries of undo,
    /// rollback and restore name people by account reference (`AccountNames.reference`), rendered
    /// on read; those written before that named them as text, so the person's name in them is
    /// turned into their reference here (identity blanks the name after every plugin has run).
    /// - Parameters:
    ///   - accountID: The account.
    ///   - db: The erasure's write transaction.
    public func erasePersonalData(accountID: String, db: Database) throws {
        try db.execute(sql: "DELETE FROM wiki_watch WHERE account_id = ?", arguments: [accountID])
        guard let name = try AccountNames.name(db, id: accountID), !name.isEmpty else { return }
        for table in ["wiki_revisions", "wiki_changes"] {
            let rows = try Row.fetchAll(db, sql: """
                SELECT seq, summary FROM \(table)
                WHERE (',' || tags || ',' LIKE '%,undo,%' OR ',' || tags || ',' LIKE '%,rollback,%' OR ',' || tags || ',' LIKE '%,restore,%')
                  AND instr(summary, ?) > 0
                """, arguments: [" by " + name])
            for row in rows {
                let summary: String = row["summary"]
                let replaced = Self.referencing(name, as: accountID, in: summary)
                if replaced != summary {
                    try db.execute(sql: "UPDATE \(table) SET summary = ? WHERE seq = ?", arguments: [replaced, row["seq"] as Int64])
                }
            }
        }
    }

    /// A generated summary with " by NAME" replaced by the account's reference where NAME stands
    /// alone: at the end, or before " to " or " of " (the shapes undo, rollback and restore wrote),
    /// so erasing "Bo" leaves "by Bo Nielsen" alone.
    static func referencing(_ name: String, as accountID: String, in summary: String) -> String {
        let needle = " by " + name
        var result = ""
        var rest = Substring(summary)
        while let range = rest.range(of: needle) {
            let after = rest[range.upperBound...]
            let standsAlone = after.isEmpty || after.hasPrefix(" to ") || after.hasPrefix(" of ")
            result += rest[..<range.lowerBound] + (standsAlone ? " by " + AccountNames.reference(accountID) : needle)
            rest = after
        }
        return result + rest
    }
}
