@testable import COIPluginKit
import COIPluginKit
import Foundation
import GRDB
import Synchronization
import Testing

@Suite struct GroupCommitWriterTests {
    func store() throws -> Store {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("batcher-\(UUID().uuidString).sqlite").path
        let store = try Store(path: path)
        try store.pool.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY)") }
        return store
    }

    @Test func concurrentWritesAllCommitAndAFailureRollsBackOnlyItself() async throws {
        let store = try store()
        let pool = store.pool
        let commits = Mutex(0)
        let batcher = GroupCommitWriter(store: store, name: "test") { commits.withLock { $0 += 1 } }
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<200 {
                group.addTask {
                    do {
                        let value = try await batcher.write { db -> Int in
                            try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [n])
                            // Every tenth write fails after inserting: its insert must not survive.
                            if n % 10 == 0 { throw RPCErrorStub() }
                            return n
                        }
                        return (value, true)
                    } catch {
                        return (n, false)
                    }
                }
            }
            var all: [(Int, Bool)] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.filter { !$0.1 }.count == 20)
        let stored = try await pool.read { db in try Int.fetchSet(db, sql: "SELECT n FROM t") }
        #expect(stored == Set((0..<200).filter { $0 % 10 != 0 }))
        // Writes shared transactions: fewer commits than writes.
        #expect(commits.withLock { $0 } < 200)
    }

    @Test func withGroupCommitOffEveryWriteIsItsOwnTransaction() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("batcher-\(UUID().uuidString).sqlite").path
        let store = try Store(path: path, groupCommit: false)
        try await store.pool.write { db in try db.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY)") }
        let batcher = GroupCommitWriter(store: store, name: "test")
        await withTaskGroup(of: Void.self) { group in
            for n in 0..<50 {
                group.addTask { _ = try? await batcher.write { db in try db.execute(sql: "INSERT INTO t (n) VALUES (?)", arguments: [n]) } }
            }
        }
        #expect(batcher.maxBatch == 1)
        #expect(GroupCommitWriter(store: try self.store(), name: "on").maxBatch > 1)
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 50)
    }

    struct RPCErrorStub: Error {}
}
