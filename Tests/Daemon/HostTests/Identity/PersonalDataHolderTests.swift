import COIPluginKit
import COIProto
import COIRPC
import COIWire
import Foundation
import GRDB
import Testing
@testable import COIHost

/// Plugins' personal data joins the account's export and goes with its erasure.
@Suite struct PersonalDataHolderTests {
    /// A plugin keeping free-text notes written by accounts.
    struct NotesPlugin: Plugin, PersonalDataHolder {
        var id: String { "test.notes" }
        var services: [RPCService] { [] }
        var migrations: [Migration] {
            [Migration.sql("1-notes", "CREATE TABLE test_notes (account_id TEXT NOT NULL, text TEXT NOT NULL)")]
        }
        func start(context: PluginContext, router: inout Router) async throws {}
        func exportPersonalData(accountID: String, db: Database) throws -> Any? {
            let notes = try String.fetchAll(db, sql: "SELECT text FROM test_notes WHERE account_id = ? ORDER BY rowid", arguments: [accountID])
            return notes.isEmpty ? nil : ["notes": notes]
        }
        func erasePersonalData(accountID: String, db: Database) throws {
            try db.execute(sql: "DELETE FROM test_notes WHERE account_id = ?", arguments: [accountID])
        }
    }

    private func note(_ fixture: IdentityFixture, _ accountID: String, _ text: String) async throws {
        try await fixture.store.pool.write { db in
            try db.execute(sql: "INSERT INTO test_notes (account_id, text) VALUES (?, ?)", arguments: [accountID, text])
        }
    }

    private func export(_ fixture: IdentityFixture, _ id: String) async throws -> [String: Any] {
        let reply = try await fixture.call(Coi_Identity_V1_Accounts.Method.export, Coi_Identity_V1_ExportAccountRequest.with { $0.id = id })
        return try #require(try JSONSerialization.jsonObject(with: Data(reply.json.utf8)) as? [String: Any])
    }

    @Test func exportIncludesThePluginsDataAndErasureRemovesIt() async throws {
        let fixture = try await IdentityFixture(extra: [NotesPlugin()])
        let anna = try await fixture.account("Anna Andersen")
        let bo = try await fixture.account("Bo Bech")
        try await note(fixture, anna, "Idé: færre skemaer")
        try await note(fixture, bo, "Bo's own note")

        let document = try await export(fixture, anna)
        let plugins = try #require(document["plugins"] as? [String: Any])
        let notes = try #require(plugins["test.notes"] as? [String: Any])
        #expect(notes["notes"] as? [String] == ["Idé: færre skemaer"])
        #expect(document["plugins_not_running"] == nil)

        _ = try await fixture.call(Coi_Identity_V1_Accounts.Method.erase, Coi_Identity_V1_EraseAccountRequest.with { $0.id = anna })
        let left = try await fixture.store.pool.read { db in try String.fetchAll(db, sql: "SELECT account_id FROM test_notes") }
        #expect(left == [bo])
        let after = try await export(fixture, anna)
        #expect((after["plugins"] as? [String: Any])?.isEmpty == true)
    }

    @Test func aStoppedPluginWithDataBlocksErasureAndIsNamedInTheExport() async throws {
        let fixture = try await IdentityFixture(extra: [NotesPlugin()])
        let anna = try await fixture.account("Anna Andersen")
        try await note(fixture, anna, "kept")
        // As after a restart with the plugin disabled: its tables exist, it does not run.
        fixture.identity.adopt(running: [])

        let document = try await export(fixture, anna)
        #expect(document["plugins_not_running"] as? [String] == ["test.notes"])
        await #expect(throws: RPCError.self) {
            _ = try await fixture.call(Coi_Identity_V1_Accounts.Method.erase, Coi_Identity_V1_EraseAccountRequest.with { $0.id = anna })
        }
        let status = try await fixture.store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT status FROM identity_accounts WHERE id = ?", arguments: [anna])
        }
        #expect(status == "active")
        let notes = try await fixture.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM test_notes") }
        #expect(notes == 1)
    }
}
