import COIProto
import COIWire
import Foundation
import GRDB
import Testing

@Suite(.serialized) struct DurabilityTests {
    @Test func acknowledgedWriteSurvivesKill9() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        var written: [Int64] = []
        for i in 0..<20 {
            let canary = try await client.call(Coi_Core_V1_Diagnostics.Method.writeCanary, Coi_Core_V1_WriteCanaryRequest.with { $0.label = "kill9-\(i)" })
            written.append(canary.sequence)
        }
        daemon.signal(SIGKILL)
        #expect(await daemon.waitForExit() == SIGKILL)

        try await daemon.restart()
        let again = try await daemon.connect()
        for i in 0..<20 {
            let canary = try await again.call(Coi_Core_V1_Diagnostics.Method.readCanary, Coi_Core_V1_ReadCanaryRequest.with { $0.label = "kill9-\(i)" })
            #expect(canary.sequence == written[i])
        }
        await again.close()
        #expect(await daemon.stop() == 0)

        let db = try DatabaseQueue(path: daemon.directory.appendingPathComponent("state/coid.db").path)
        let check = try await db.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        #expect(check == ["ok"])
    }

    @Test func databaseFromNewerVersionIsRefusedAtStart() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let state = dir.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let db = try DatabaseQueue(path: state.appendingPathComponent("coid.db").path)
        try await db.write { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('coi.core/001_canaries'), ('coi.core/999_from_the_future')")
            try db.execute(sql: "CREATE TABLE core_canaries (sequence INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL, written_at TEXT NOT NULL)")
        }
        try db.close()
        let daemon = try await DaemonProcess(directory: dir, waitForSocket: false)
        let status = await daemon.waitForExit()
        #expect(status != 0)
        #expect(daemon.log.contains("newer coid"))
        #expect(daemon.log.contains("999_from_the_future"))
    }
}
