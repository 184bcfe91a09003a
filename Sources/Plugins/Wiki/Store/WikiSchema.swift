import COIPluginKit
import GRDB

/// The wiki's tables (all prefixed `wiki_`).
///
/// Revisions hold full texts, never deltas: every revision is readable in one row and history
/// never depends on a chain. Integer row ids order and paginate everything; text ids ("pg_…",
/// "rev_…") are what clients see. Links, categories, the search index and case fields are derived
/// from the latest revision and rewritten in the same transaction as each save.
enum WikiSchema {
    static let migrations: [Migration] = [.sql("001_wiki", v1), .sql("002_search_terms", v2), Migration("003_search_refold", apply: refold)]

    /// The index was folded by the wiki's own spelling-out fold (ø → oe); it now holds the kit's one
    /// `DanishFolding` (ø → o, oe → o), as queries are folded, so every indexed page is folded anew.
    /// The same pages stay indexed (redirects and deleted pages have no row).
    @Sendable static func refold(_ db: Database) throws {
        let pages = try Row.fetchAll(db, sql: """
            SELECT s.rowid AS seq, p.title, r.text FROM wiki_search s
            JOIN wiki_pages p ON p.seq = s.rowid JOIN wiki_revisions r ON r.seq = p.latest_rev
            """)
        for page in pages {
            let seq: Int64 = page["seq"], title: String = page["title"], text: String = page["text"]
            try db.execute(sql: "DELETE FROM wiki_search WHERE rowid = ?", arguments: [seq])
            try db.execute(sql: "INSERT INTO wiki_search (rowid, title, body) VALUES (?, ?, ?)",
                           arguments: [seq, DanishFolding.fold(title), DanishFolding.fold(text)])
        }
    }

    /// The search index's term list, for expanding prefix queries (`Wiki.maxPrefixExpansions`).
    static let v2 = "CREATE VIRTUAL TABLE wiki_search_terms USING fts5vocab(wiki_search, 'row');"

    static let v1 = """
        CREATE TABLE wiki_pages (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            namespace TEXT NOT NULL CHECK (namespace IN ('main', 'talk', 'case')),
            title TEXT NOT NULL,
            title_key TEXT NOT NULL,
            latest_rev INTEGER NOT NULL DEFAULT 0,
            redirect_to TEXT,
            protection TEXT NOT NULL DEFAULT 'open' CHECK (protection IN ('open', 'moderated', 'admin')),
            deleted INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (namespace, title_key)
        );
        CREATE TABLE wiki_revisions (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            page_seq INTEGER NOT NULL REFERENCES wiki_pages(seq),
            parent_seq INTEGER NOT NULL DEFAULT 0,
            title TEXT NOT NULL,
            author_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            minor INTEGER NOT NULL DEFAULT 0,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            case_fields TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX wiki_revisions_page ON wiki_revisions(page_seq, seq);
        CREATE INDEX wiki_revisions_author ON wiki_revisions(author_id, seq);
        CREATE TABLE wiki_link_targets (
            seq INTEGER PRIMARY KEY,
            namespace TEXT NOT NULL,
            title_key TEXT NOT NULL,
            title TEXT NOT NULL,
            UNIQUE (namespace, title_key)
        );
        CREATE TABLE wiki_links (
            page_seq INTEGER NOT NULL REFERENCES wiki_pages(seq),
            target_seq INTEGER NOT NULL REFERENCES wiki_link_targets(seq),
            PRIMARY KEY (page_seq, target_seq)
        ) WITHOUT ROWID;
        CREATE INDEX wiki_links_target ON wiki_links(target_seq, page_seq);
        CREATE TABLE wiki_categories (
            page_seq INTEGER NOT NULL REFERENCES wiki_pages(seq),
            category_key TEXT NOT NULL,
            category TEXT NOT NULL,
            PRIMARY KEY (page_seq, category_key)
        ) WITHOUT ROWID;
        CREATE INDEX wiki_categories_key ON wiki_categories(category_key, page_seq);
        CREATE TABLE wiki_cases (
            page_seq INTEGER PRIMARY KEY REFERENCES wiki_pages(seq),
            level TEXT NOT NULL,
            municipality_code INTEGER NOT NULL,
            region_code INTEGER NOT NULL,
            sector TEXT NOT NULL
        );
        CREATE INDEX wiki_cases_municipality ON wiki_cases(municipality_code, page_seq);
        CREATE INDEX wiki_cases_region ON wiki_cases(region_code, page_seq);
        CREATE INDEX wiki_cases_sector ON wiki_cases(sector, page_seq);
        CREATE TABLE wiki_changes (
            seq INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            kind TEXT NOT NULL,
            page_seq INTEGER NOT NULL REFERENCES wiki_pages(seq),
            namespace TEXT NOT NULL,
            title TEXT NOT NULL,
            revision_seq INTEGER NOT NULL DEFAULT 0,
            actor_id TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            minor INTEGER NOT NULL DEFAULT 0,
            size_delta INTEGER NOT NULL DEFAULT 0,
            tags TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX wiki_changes_page ON wiki_changes(page_seq, seq);
        CREATE TABLE wiki_watch (
            account_id TEXT NOT NULL,
            page_seq INTEGER NOT NULL REFERENCES wiki_pages(seq),
            created_at TEXT NOT NULL,
            PRIMARY KEY (account_id, page_seq)
        ) WITHOUT ROWID;
        CREATE VIRTUAL TABLE wiki_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
        """
}
