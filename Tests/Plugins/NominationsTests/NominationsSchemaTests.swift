import COINominations
import COIPluginKit
import Foundation
import GRDB
import Testing

/// The schema's migrations on a database written by the previous version.
@Suite struct NominationsSchemaTests {
    @Test func authorshipMigrationKeepsExistingRows() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nominations-\(UUID().uuidString).sqlite").path
        let store = try Store(path: path)
        let migrations = NominationsPlugin().migrations
        // A database as the first version left it, with a campaign, a storm and a juror seat.
        try await store.migrate(pluginID: "coi.nominations", migrations: Array(migrations.prefix(1)))
        try await store.pool.write { db in
            try db.execute(sql: """
                INSERT INTO nominations_campaigns (id, kind, year, title, prize, phase, phase_set_at, blind_review, normalise, nominator_limit,
                    version, created_by, created_at, updated_at) VALUES ('cmp_1', 1, 2026, 'T', '', 1, '', 0, 0, 0, 1, 'account:acc_anna', 't1', 't2');
                INSERT INTO nominations_storms (id, topic, description, opens_at, closes_at, votes_per_person, created_by, created_at)
                    VALUES ('stm_1', 'Emne', '', 'a', 'b', 3, 'unix:uid=0(root)', 't3');
                INSERT INTO nominations_jurors (campaign_id, account_id, region_code, added_at) VALUES ('cmp_1', 'acc_jens', 0, 't4');
                """)
        }
        try await store.migrate(pluginID: "coi.nominations", migrations: migrations)
        // Each row's authorship columns, in the order asked for.
        let (campaign, storm, juror) = try await store.pool.read { db in
            (try String.fetchAll(db, sql: "SELECT created_by FROM nominations_campaigns UNION ALL SELECT updated_by FROM nominations_campaigns"),
             try String.fetchAll(db, sql: """
                SELECT updated_by FROM nominations_storms UNION ALL SELECT updated_at FROM nominations_storms
                """),
             try String.fetchAll(db, sql: """
                SELECT created_by FROM nominations_jurors UNION ALL SELECT updated_by FROM nominations_jurors
                UNION ALL SELECT updated_at FROM nominations_jurors
                """))
        }
        #expect(campaign == ["account:acc_anna", "account:acc_anna"])
        #expect(storm == ["unix:uid=0(root)", "t3"])
        // Nobody recorded who seated the juror; the seat dates from when it was added.
        #expect(juror == ["", "", "t4"])
    }

    /// Reports become history (issue 13 item 5): existing reports keep their order, reason, note and
    /// state and get ids; afterwards the same person may report again beside a dismissed report, but
    /// not hold two open ones.
    @Test func reportHistoryMigrationKeepsExistingReports() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nominations-\(UUID().uuidString).sqlite").path
        let store = try Store(path: path)
        let migrations = NominationsPlugin().migrations
        try await store.migrate(pluginID: "coi.nominations", migrations: Array(migrations.prefix(2)))
        try await store.pool.write { db in
            try db.execute(sql: """
                INSERT INTO nominations_campaigns (id, kind, year, title, prize, phase, phase_set_at, blind_review, normalise, nominator_limit,
                    version, created_by, created_at, updated_at) VALUES ('cmp_1', 1, 2026, 'T', '', 1, '', 0, 0, 0, 1, 'x', 't1', 't2');
                INSERT INTO nominations_nominations (id, campaign_id, nominator_id, workplace, municipality_code, region_code, title, title_key,
                    idea, difference, origin, origin_wiki_case, state, submitted_at, updated_at)
                    VALUES ('nom_1', 'cmp_1', 'acc_n', 'W', 101, 1084, 'T', 't', 'i', 'd', '', '', 1, 't', 't');
                INSERT INTO nominations_reports (nomination_id, account_id, reason, note, created_at, dismissed)
                    VALUES ('nom_1', 'acc_a', 1, 'første', 't1', 1), ('nom_1', 'acc_b', 2, 'anden', 't2', 0);
                """)
        }
        try await store.migrate(pluginID: "coi.nominations", migrations: migrations)
        let rows = try await store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, account_id, note, dismissed FROM nominations_reports ORDER BY seq")
                .map { [$0["id"] as String, $0["account_id"] as String, $0["note"] as String, ($0["dismissed"] as Bool) ? "dismissed" : "open"] }
        }
        #expect(rows.map { $0[1] } == ["acc_a", "acc_b"])
        #expect(rows.map { $0[2] } == ["første", "anden"])
        #expect(rows.map { $0[3] } == ["dismissed", "open"])
        #expect(rows.allSatisfy { $0[0].hasPrefix("rep_") })
        try await store.pool.write { db in
            // A second report by acc_a beside the dismissed one: allowed.
            try db.execute(sql: "INSERT INTO nominations_reports (id, nomination_id, account_id, reason, note, created_at) VALUES ('rep_x', 'nom_1', 'acc_a', 1, 'igen', 't3')")
        }
        await #expect(throws: DatabaseError.self) {
            try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO nominations_reports (id, nomination_id, account_id, reason, note, created_at) VALUES ('rep_y', 'nom_1', 'acc_b', 1, 'to åbne', 't4')")
            }
        }
    }
}
