import COIProto
import COIWire
import Foundation
import Testing

/// Issue 10, item 8: the database, its WAL and SHM, the audit key and the socket are private to
/// coid's user (and the socket's group), even when coid is started with a permissive umask.
@Suite(.serialized) struct FileModesTests {
    func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int).flatMap { $0 }
    }

    @Test func filesArePrivateWhoeverStartsCoid() async throws {
        // A careless start: umask 000 would leave everything world-readable (and writable).
        let previous = umask(0)
        let daemon: DaemonProcess
        do {
            daemon = try await DaemonProcess()
            umask(previous)
        } catch {
            umask(previous)
            throw error
        }
        let client = try await daemon.connect()
        _ = try await client.call(Coi_Core_V1_Diagnostics.Method.writeCanary, Coi_Core_V1_WriteCanaryRequest.with { $0.label = "modes" })
        let state = daemon.directory.appendingPathComponent("state").path
        for file in ["coid.db", "coid.db-wal", "coid.db-shm", "credentials/audit-key"] {
            #expect(mode(state + "/" + file) == 0o600, "\(file): \(String(mode(state + "/" + file) ?? -1, radix: 8))")
        }
        #expect(mode(state + "/credentials") == 0o700)
        #expect(mode(daemon.socketPath) == 0o660, "socket: \(String(mode(daemon.socketPath) ?? -1, radix: 8))")
        await client.close()
        #expect(await daemon.stop() == 0)

        // A database left readable by an older coid is tightened at the next start.
        chmod(state + "/coid.db", 0o644)
        try await daemon.restart()
        #expect(mode(state + "/coid.db") == 0o600)
        #expect(daemon.log.contains("audit head"))
        #expect(await daemon.stop() == 0)
        #expect(daemon.log.contains("at=stop"))
    }
}
