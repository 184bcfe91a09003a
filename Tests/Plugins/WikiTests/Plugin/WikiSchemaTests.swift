import COIPluginKit
import COIWiki
import Foundation
import GRDB
import Testing

/// The wiki's migrations on a database written by the previous version.
@Suite struct WikiSchemaTests {
    /// The index held the wiki's own spelling-out fold (ø → oe); `003_search_refold` folds every
    /// indexed page with the kit's `DanishFolding`, as queries now are, and indexes no other page.
    @Test func refoldMigrationRefoldsTheIndex() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wiki-\(UUID().uuidString).sqlite").path
        let store = try Store(path: path)
        let migrations = WikiPlugin().migrations
        try await store.migrate(pluginID: "coi.wiki", migrations: Array(migrations.prefix(2)))
        try await store.pool.write { db in
            try db.execute(sql: """
                INSERT INTO wiki_pages (seq, id, namespace, title, title_key, latest_rev, created_at, updated_at)
                    VALUES (1, 'pg_1', 'main', 'Rådhuset i København', 'rådhuset i københavn', 1, 't', 't'),
                           (2, 'pg_2', 'main', 'Omdirigering', 'omdirigering', 2, 't', 't');
                INSERT INTO wiki_revisions (seq, id, page_seq, title, author_id, created_at, size, sha256, text)
                    VALUES (1, 'rev_1', 1, 'Rådhuset i København', 'acc_a', 't', 10, 'x', 'Søren Sørensen på Ærø'),
                           (2, 'rev_2', 2, 'Omdirigering', 'acc_a', 't', 10, 'x', '#REDIRECT [[Rådhuset i København]]');
                INSERT INTO wiki_search (rowid, title, body) VALUES (1, 'raadhuset i koebenhavn', 'soeren soerensen paa aeroe');
                """)
        }
        try await store.migrate(pluginID: "coi.wiki", migrations: migrations)
        let rows = try await store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT title, body FROM wiki_search").map { [$0["title"] as String, $0["body"] as String] }
        }
        let hits = try await store.pool.read { db in
            try Int.fetchAll(db, sql: "SELECT rowid FROM wiki_search WHERE wiki_search MATCH ?", arguments: ["\"sorensen\" AND \"kobenhavn\""])
        }
        #expect(rows == [[DanishFolding.fold("Rådhuset i København"), "soren sorensen pa aero"]])
        #expect(hits == [1])
    }
}
