import Foundation
import GRDB
import Testing
@testable import COIPluginKit

@Suite struct StoreTests {
    func path() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coid-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("coid.db").path
    }

    @Test func opensInWALWithForeignKeys() async throws {
        let store = try Store(path: try path())
        let (mode, fk, sync) = try await store.pool.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode")!, try Int.fetchOne(db, sql: "PRAGMA foreign_keys")!,
             try Int.fetchOne(db, sql: "PRAGMA synchronous")!)
        }
        #expect(mode == "wal")
        #expect(fk == 1)
        #expect(sync == 2, "FULL")
        #expect(try await store.integrityCheck() == "ok")
    }

    @Test func migrationsRunOnceAndAreRecordedPerPlugin() async throws {
        let file = try path()
        let migrations: [Migration] = [.sql("001_a", "CREATE TABLE t_a (x)"), .sql("002_b", "CREATE TABLE t_b (y)")]
        do {
            let store = try Store(path: file)
            #expect(try await store.migrate(pluginID: "coi.t", migrations: migrations) == "002_b")
        }
        let store = try Store(path: file)
        #expect(try await store.migrate(pluginID: "coi.t", migrations: migrations) == "002_b")
        let applied = try await store.pool.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        #expect(applied == ["coi.t/001_a", "coi.t/002_b"])
    }

    @Test func databaseFromANewerVersionIsRefused() async throws {
        let file = try path()
        do {
            let newer = try Store(path: file)
            try await newer.migrate(pluginID: "coi.t", migrations: [.sql("001_a", "CREATE TABLE t_a (x)"), .sql("002_future", "CREATE TABLE t_f (z)")])
        }
        let older = try Store(path: file)
        await #expect {
            try await older.migrate(pluginID: "coi.t", migrations: [.sql("001_a", "CREATE TABLE t_a (x)")])
        } throws: { error in
            "\(error)".contains("newer coid") && "\(error)".contains("002_future")
        }
    }
}
