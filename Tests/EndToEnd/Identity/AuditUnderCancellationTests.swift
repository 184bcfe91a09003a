import COIProto
import COIWire
import Foundation
import GRDB
import Testing

/// Writes whose callers hang up are still audited: the change happened, so its record must exist.
@Suite struct AuditUnderCancellationTests {
    @Test func everyCommittedWriteHasItsAuditEntryEvenWhenTheCallerHangsUp() async throws {
        let daemon = try await DaemonProcess()
        let calls = 40
        for i in 0..<calls {
            let raw = try RawConnection(path: daemon.socketPath)
            try raw.sendRequest(1, service: "coi.core.v1.Diagnostics", method: "WriteCanary",
                                payload: Coi_Core_V1_WriteCanaryRequest.with { $0.label = "hangup-\(i)" })
            // The connection closes at once, cancelling the call wherever it is.
        }
        let path = daemon.directory.appendingPathComponent("state/coid.db").path
        let db = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        // Every call is recorded exactly once, whatever its outcome; wait until all are.
        var recorded = 0
        for _ in 0..<500 {
            recorded = try await db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM identity_audit WHERE method = 'coi.core.v1.Diagnostics/WriteCanary'") ?? 0 }
            if recorded >= calls { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(recorded == calls)
        let (committed, auditedOK) = try await db.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM core_canaries WHERE label LIKE 'hangup-%'") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM identity_audit WHERE method = 'coi.core.v1.Diagnostics/WriteCanary' AND outcome = 'OK'") ?? 0)
        }
        #expect(committed == auditedOK, "\(committed) canaries committed, \(auditedOK) audited as OK")
        #expect(daemon.log.contains("audit log append failed") == false)
        await daemon.stop()
    }
}
