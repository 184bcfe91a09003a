import COIProto
import COIWire
import Foundation
import GRDB
import Testing

/// `coictl backup` against a daemon under write load, `coid restore` into a fresh state directory,
/// and a clean stop leaving a complete coid.db (issue 14 item 4).
@Suite(.serialized) struct BackupRestoreTests {
    /// Labels of canaries whose WriteCanary was acknowledged, in order.
    actor Acknowledged {
        private(set) var labels: [String] = []
        private(set) var stopped = false
        func add(_ label: String) { labels.append(label) }
        func stop() { stopped = true }
    }

    /// Writers on their own connections until `acks.stop()`; each waits for its acknowledgement.
    static func startWriters(_ daemon: DaemonProcess, count: Int, acks: Acknowledged) async throws -> [Task<Void, any Error>] {
        var tasks: [Task<Void, any Error>] = []
        for writer in 0..<count {
            let connection = try await daemon.connect()
            tasks.append(Task {
                defer { Task { await connection.close() } }
                var index = 0
                // Bounded: at most 100,000 writes each, whatever happens to the backup.
                while await acks.stopped == false, index < 100_000 {
                    let label = "load-\(writer)-\(index)"
                    _ = try await connection.call(Coi_Core_V1_Diagnostics.Method.writeCanary, .with { $0.label = label })
                    await acks.add(label)
                    index += 1
                }
            })
        }
        return tasks
    }

    static func copyAuditKey(from daemon: DaemonProcess, to state: URL) throws {
        let credentials = state.appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.copyItem(at: daemon.directory.appendingPathComponent("state/credentials/audit-key"),
                                         to: credentials.appendingPathComponent("audit-key"))
    }

    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func backupUnderWriteLoadRestoresEveryAcknowledgedWrite() async throws {
        let daemon = try await DaemonProcess()
        let acks = Acknowledged()
        let writers = try await Self.startWriters(daemon, count: 3, acks: acks)
        // Some load before the backup starts, so there is something to lose.
        while await acks.labels.count < 300 { try await Task.sleep(for: .milliseconds(10)) }

        let file = daemon.directory.appendingPathComponent("backup.db").path
        let before = await acks.labels
        let backup = try await runCommand(DaemonProcess.coictl, ["backup", "--out", file, "--json", "--socket", daemon.socketPath])
        await acks.stop()
        for writer in writers { try await writer.value }
        #expect(backup.status == 0, "coictl backup: \(backup.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(backup.stdout.utf8)) as? [String: Any])
        #expect(summary["integrity"] as? String == "ok")
        #expect(summary["audit_ok"] as? Bool == true)
        #expect(summary["file"] as? String == file)
        #expect((summary["migrations"] as? [String])?.contains("coi.core/001_canaries") == true)
        #expect(try Self.mode(file) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: file + ".partial"))
        #expect(await daemon.stop() == 0)

        // A new machine: an empty state directory with the audit key carried over separately.
        let target = try DaemonProcess.makeDirectory()
        let state = target.appendingPathComponent("state")
        try Self.copyAuditKey(from: daemon, to: state)
        let restore = try await runCommand(DaemonProcess.coid, ["restore", file, "--state-dir", state.path])
        #expect(restore.status == 0, "coid restore: \(restore.stdout) \(restore.stderr)")
        #expect(restore.stdout.contains("audit chain: ok"), "\(restore.stdout)")
        #expect(try Self.mode(state.appendingPathComponent("coid.db").path) == 0o600)

        let restored = try await DaemonProcess(directory: target)
        let client = try await restored.connect()
        for label in before {
            let canary = try await client.call(Coi_Core_V1_Diagnostics.Method.readCanary, .with { $0.label = label })
            #expect(canary.label == label)
        }
        await client.close()
        let verify = try await runCommand(DaemonProcess.coictl, ["audit", "verify", "--json", "--socket", restored.socketPath])
        #expect(verify.status == 0, "audit verify: \(verify.stdout) \(verify.stderr)")
        let verdict = try #require(try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any])
        #expect(verdict["ok"] as? Bool == true, "\(verify.stdout)")
        #expect(await restored.stop() == 0)
    }

    @Test func restoreChecksBeforeReplacingAnything() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        _ = try await client.call(Coi_Core_V1_Diagnostics.Method.writeCanary, .with { $0.label = "kept-æøå" })
        await client.close()
        let file = daemon.directory.appendingPathComponent("backup.db").path
        let state = daemon.directory.appendingPathComponent("state")
        let database = state.appendingPathComponent("coid.db").path
        let backup = try await runCommand(DaemonProcess.coictl, ["backup", "--out", file, "--socket", daemon.socketPath])
        #expect(backup.status == 0, "coictl backup: \(backup.stderr)")
        #expect(backup.stdout.contains("integrity ok"), "\(backup.stdout)")

        // A running daemon holds the database.
        let running = try await runCommand(DaemonProcess.coid, ["restore", file, "--state-dir", state.path])
        #expect(running.status == 1)
        #expect(running.stderr.contains("a coid is running"), "\(running.stderr)")
        // An existing --out is not overwritten without --force.
        let again = try await runCommand(DaemonProcess.coictl, ["backup", "--out", file, "--socket", daemon.socketPath])
        #expect(again.status == 1)
        #expect(again.stderr.contains("exists"), "\(again.stderr)")
        #expect(await daemon.stop() == 0)

        let original = try Data(contentsOf: URL(fileURLWithPath: database))
        let garbage = daemon.directory.appendingPathComponent("garbage.db").path
        try Data("not a database, æøå\n".utf8).write(to: URL(fileURLWithPath: garbage))
        let future = daemon.directory.appendingPathComponent("future.db").path
        try FileManager.default.copyItem(atPath: file, toPath: future)
        let queue = try DatabaseQueue(path: future)
        try await queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('coi.core/999_from_the_future')") }
        try queue.close()
        let missing = daemon.directory.appendingPathComponent("missing.db").path

        for (path, words) in [(garbage, "not an SQLite database"), (future, "999_from_the_future"), (missing, "no such file")] {
            let refused = try await runCommand(DaemonProcess.coid, ["restore", path, "--state-dir", state.path])
            #expect(refused.status == 1, "\(path): \(refused.stdout)")
            #expect(refused.stderr.contains(words), "\(path): \(refused.stderr)")
            #expect(refused.stderr.contains("nothing was changed"))
        }
        // A different audit key: the chain does not verify, so the restore is refused unless asked.
        let otherKey = try DaemonProcess.makeDirectory().appendingPathComponent("state")
        try FileManager.default.createDirectory(at: otherKey.appendingPathComponent("credentials"), withIntermediateDirectories: true)
        try String(repeating: "ab", count: 32).write(to: otherKey.appendingPathComponent("credentials/audit-key"), atomically: true, encoding: .utf8)
        let wrongKey = try await runCommand(DaemonProcess.coid, ["restore", file, "--state-dir", otherKey.path])
        #expect(wrongKey.status == 1)
        #expect(wrongKey.stderr.contains("audit chain does not verify"), "\(wrongKey.stderr)")
        #expect(!FileManager.default.fileExists(atPath: otherKey.appendingPathComponent("coid.db").path))
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == original)
        let aside = try FileManager.default.contentsOfDirectory(atPath: state.path).filter { $0.contains("before-restore") }
        #expect(aside.isEmpty)

        // The real thing over an existing database: the old one is kept aside.
        let restore = try await runCommand(DaemonProcess.coid, ["restore", file, "--state-dir", state.path])
        #expect(restore.status == 0, "\(restore.stderr)")
        let keptAside = try FileManager.default.contentsOfDirectory(atPath: state.path).filter { $0.hasPrefix("coid.db.before-restore-") }
        #expect(keptAside.contains { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }, "\(keptAside)")
        try await daemon.restart()
        let after = try await daemon.connect()
        let canary = try await after.call(Coi_Core_V1_Diagnostics.Method.readCanary, .with { $0.label = "kept-æøå" })
        #expect(canary.label == "kept-æøå")
        await after.close()
        #expect(await daemon.stop() == 0)
    }

    @Test func cleanStopLeavesACompleteDatabaseFile() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        for index in 0..<50 {
            _ = try await client.call(Coi_Core_V1_Diagnostics.Method.writeCanary, .with { $0.label = "wal-\(index)" })
        }
        await client.close()
        #expect(await daemon.stop() == 0)
        let state = daemon.directory.appendingPathComponent("state")
        let wal = state.appendingPathComponent("coid.db-wal").path
        let walSize = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
        #expect(walSize == 0, "coid.db-wal holds \(walSize) bytes after a clean stop")

        // coid.db alone, as a file-level backup would take it.
        let copy = try DaemonProcess.makeDirectory().appendingPathComponent("coid.db").path
        try FileManager.default.copyItem(atPath: state.appendingPathComponent("coid.db").path, toPath: copy)
        let queue = try DatabaseQueue(path: copy)
        let count = try await queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM core_canaries WHERE label LIKE 'wal-%'") }
        #expect(count == 50)
        try queue.close()
    }

    @Test func backupNeedsTheBackupPermission() async throws {
        let cli = try await IdentityCLI.start()
        let account = try await cli.add("Bente Ærø")
        let token = try await cli.issue(account)
        let file = cli.daemon.directory.appendingPathComponent("denied.db").path
        try await cli.rejected(["backup", "--out", file], "PERMISSION_DENIED", token: token)
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(!FileManager.default.fileExists(atPath: file + ".partial"))
        #expect(await cli.daemon.stop() == 0)
    }

    /// One backup at a time (issue 10, descriptors): each holds files open, and many at once could
    /// take the descriptors coid keeps free. A second backup while one runs is refused with a clear
    /// status; once the first has finished, the next is taken.
    @Test func oneBackupAtATime() async throws {
        // A small outbound budget: a backup whose client stops reading waits, holding its turn.
        let daemon = try await DaemonProcess(config: "[server]\nmax_buffered_bytes = 65536\n")
        let writer = try await daemon.connect()
        // Wiki edits are credited to a person: link this OS user to an account first.
        _ = try await writer.call(Coi_Identity_V1_Accounts.Method.create, .with {
            $0.kind = .person
            $0.fullName = "Åse Bækgaard"
            $0.osUser = ProcessInfo.processInfo.userName
        })
        // A database of a few MiB: more 1 MiB parts than the socket holds.
        for page in 0..<3 {
            let text = (0..<40_000).map { "Linje \($0) om velfærd i Århus, side \(page)." }.joined(separator: "\n")
            _ = try await writer.call(Coi_Wiki_V1_Pages.Method.save, .with {
                $0.title = "Stor side \(page)"
                $0.text = text
                $0.summary = "fyld"
            }, timeout: .seconds(120))
        }
        await writer.close()

        // The first backup: its first part read, then not read further, so it stays running.
        let first = try RawConnection(path: daemon.socketPath)
        try first.sendRequest(1, service: Coi_Core_V1_Backup.service.name, method: Coi_Core_V1_Backup.Method.create.method,
                              payload: Coi_Core_V1_BackupRequest(), flags: .remoteClosed)
        let firstPart = try #require(first.readFrame())
        #expect(firstPart.type == .data)

        // A second one meanwhile is refused, and says why.
        let other = try await daemon.connect()
        await #expect {
            for try await _ in try other.stream(Coi_Core_V1_Backup.Method.create).replies {}
        } throws: { error in
            let e = error as? RPCError
            return e?.code == .resourceExhausted && e?.reason == "BACKUP_RUNNING"
        }

        // The first, read to its end, completes.
        var parts = 1
        var final: Ttrpc_Response?
        while final == nil, let frame = first.readFrame() {
            if frame.type == .response {
                final = try Ttrpc_Response(serializedBytes: Array(buffer: frame.payload))
            } else {
                parts += 1
            }
        }
        #expect(final?.status.code == 0, "\(String(describing: final))")
        #expect(parts >= 3)

        // Then the next backup is taken.
        var summary: Coi_Core_V1_BackupSummary?
        for try await part in try other.stream(Coi_Core_V1_Backup.Method.create).replies where part.hasSummary {
            summary = part.summary
        }
        #expect(summary?.integrity == "ok")
        // A backup holds everyone's data: each one, taken or refused, is in the audit log.
        let audit = try await other.call(Coi_Identity_V1_Audit.Method.list, .with { $0.method = Coi_Core_V1_Backup.Method.create.path })
        #expect(audit.entries.map(\.outcome).sorted() == ["OK", "OK", "RESOURCE_EXHAUSTED"], "\(audit.entries)")
        await other.close()
        #expect(await daemon.stop() == 0)
    }
}
