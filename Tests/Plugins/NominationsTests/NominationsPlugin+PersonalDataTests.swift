import COINominations
import COIPluginKit
import Foundation
import GRDB
import Testing

/// The plugin's share of a person's export and erasure, on a real SQLite database with its schema.
@Suite struct NominationsPersonalDataTests {
    func store() async throws -> Store {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nominations-\(UUID().uuidString).sqlite").path
        let store = try Store(path: path)
        try await store.migrate(pluginID: "coi.nominations", migrations: NominationsPlugin().migrations)
        try await store.pool.write { db in
            try db.execute(sql: """
                INSERT INTO nominations_campaigns (id, kind, year, title, prize, phase, phase_set_at, blind_review, normalise, nominator_limit,
                    version, created_by, created_at, updated_at) VALUES ('cmp_1', 1, 2026, 'T', '', 2, '', 0, 0, 0, 1, 'x', 't', 't');
                INSERT INTO nominations_nominations (id, campaign_id, nominator_id, workplace, municipality_code, region_code, title, title_key,
                    idea, difference, origin, origin_wiki_case, state, submitted_at, updated_at)
                    VALUES ('nom_1', 'cmp_1', 'acc_anna', 'Odense Rådhus', 461, 1083, 'Kaffe', 'kaffe', 'I', 'D', '', '', 1, 't', 't');
                INSERT INTO nominations_nominees (nomination_id, position, campaign_id, name, name_key, account_id, consented_at)
                    VALUES ('nom_1', 0, 'cmp_1', 'Bo Berg', 'bo berg|odense radhus', 'acc_bo', '');
                INSERT INTO nominations_endorsements (nomination_id, account_id, created_at) VALUES ('nom_1', 'acc_carl', 't');
                INSERT INTO nominations_reports (id, nomination_id, account_id, reason, note, created_at) VALUES ('rep_1', 'nom_1', 'acc_carl', 1, 'my note', 't');
                """)
        }
        return store
    }

    /// The export as JSON text (nil when the plugin holds nothing), so it can leave the read.
    func exported(_ store: Store, _ accountID: String) async throws -> [String: Any]? {
        let data = try await store.pool.read { db -> Data? in
            guard let value = try NominationsPlugin().exportPersonalData(accountID: accountID, db: db) else { return nil }
            return try JSONSerialization.data(withJSONObject: value)
        }
        return try data.map { try JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? nil
    }

    @Test func exportHoldsWhatEachAccountDid() async throws {
        let store = try await store()
        let anna = try await exported(store, "acc_anna")
        #expect((anna?["nominations_made"] as? [[String: Any]])?.first?["id"] as? String == "nom_1")
        let bo = try await exported(store, "acc_bo")
        #expect((bo?["nominated_as"] as? [[String: Any]])?.first?["name"] as? String == "Bo Berg")
        let carl = try await exported(store, "acc_carl")
        #expect((carl?["endorsements"] as? [[String: Any]])?.count == 1 && (carl?["reports"] as? [[String: Any]])?.count == 1)
        #expect(try await exported(store, "acc_nobody") == nil)
    }

    @Test func erasureRemovesFreeTextAboutThePerson() async throws {
        let store = try await store()
        let plugin = NominationsPlugin()
        try await store.pool.write { db in
            try plugin.erasePersonalData(accountID: "acc_bo", db: db)
            try plugin.erasePersonalData(accountID: "acc_carl", db: db)
        }
        let (name, note, endorsements) = try await store.pool.read { db in
            (try String.fetchOne(db, sql: "SELECT name FROM nominations_nominees WHERE account_id = 'acc_bo'"),
             try String.fetchOne(db, sql: "SELECT note FROM nominations_reports WHERE account_id = 'acc_carl'"),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM nominations_endorsements"))
        }
        #expect(name == "former nominee" && note == "")
        // Contributions stay, credited by account id (identity renames the account).
        #expect(endorsements == 1)
    }
}
