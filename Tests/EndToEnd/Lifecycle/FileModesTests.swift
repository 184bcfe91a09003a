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

    /// Issue 13 item 13: `swift run coid` with no flags (development mode: state and socket under
    /// ./.state) is as private as a packaged start, even under umask 000.
    @Test func developmentDefaultsArePrivateToo() async throws {
        let directory = try DaemonProcess.makeDirectory()
        let log = directory.appendingPathComponent("coid.log").path
        var environment = childEnvironment()
        environment["STATE_DIRECTORY"] = nil
        environment["RUNTIME_DIRECTORY"] = nil
        let previous = umask(0)
        let child: ChildProcess
        do {
            child = try ChildProcess(DaemonProcess.coid, [], environment: environment, stdout: log, stderr: log, directory: directory.path)
            umask(previous)
        } catch {
            umask(previous)
            throw error
        }
        let state = directory.appendingPathComponent(".state").path
        var client: ClientConnection?
        for _ in 0..<1500 where client == nil && child.isRunning {
            client = try? await ClientConnection.connect(unixSocket: state + "/coid.sock")
            if client == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        let connected = try #require(client, "coid did not serve on .state/coid.sock: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        _ = try await connected.call(Coi_Core_V1_Diagnostics.Method.writeCanary, Coi_Core_V1_WriteCanaryRequest.with { $0.label = "dev" })
        for file in ["coid.db", "coid.db-wal", "coid.db-shm"] {
            #expect(mode(state + "/" + file) == 0o600, "\(file): \(String(mode(state + "/" + file) ?? -1, radix: 8))")
        }
        #expect(mode(state + "/coid.sock") == 0o660, "socket: \(String(mode(state + "/coid.sock") ?? -1, radix: 8))")
        #expect((mode(state) ?? 0o777) & 0o007 == 0, "no access for others to .state")
        await connected.close()
        child.signal(SIGTERM)
        #expect(await child.wait() == 0)
    }
}
