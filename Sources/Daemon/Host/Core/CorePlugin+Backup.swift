import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB
import Synchronization

extension CorePlugin {
    /// The size of one streamed part: well under the 4 MiB frame limit.
    static let backupPartSize = 1 << 20

    func registerBackup(_ router: inout Router, store: Store) {
        let auditKey = self.auditKey
        let version = self.version
        let turn = BackupTurn()
        // Audited: a backup holds every person's data.
        router.serverStreaming(Coi_Core_V1_Backup.Method.create, .read("core.backup").audited()) {
            (_: Coi_Core_V1_BackupRequest, context: RequestContext, writer: ResponseWriter<Coi_Core_V1_BackupPart>) in
            guard turn.take() else {
                throw RPCError(.resourceExhausted, "another backup is being taken; retry when it has finished",
                               reason: "BACKUP_RUNNING")
            }
            defer { turn.give() }
            // Beside the database: the only directory coid may write under systemd, and the same
            // file system, so the copy needs no second disk. The leading dot keeps it out of globs.
            let directory = (store.path as NSString).deletingLastPathComponent
            let temporary = directory + "/.backup-\(UUID().uuidString.prefix(8).lowercased()).db"
            defer { unlink(temporary) }
            // Taken before the snapshot starts: every write acknowledged before this instant is committed
            // before VACUUM INTO opens its read transaction, so it is in the copy.
            let takenAt = Timestamp.now()
            // VACUUM cannot run inside a transaction, so not `read`: VACUUM INTO opens its own read
            // transaction, a consistent WAL snapshot, while the writer goes on committing.
            try await store.pool.unsafeRead { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [temporary])
            }
            // One self-contained file: a copy in WAL mode would want -wal and -shm files beside it.
            let output = try DatabaseQueue(path: temporary)
            try await output.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try output.close()
            let copy = try DatabaseCopy.inspect(path: temporary, auditKey: auditKey)
            guard copy.integrity == "ok" else {
                throw RPCError(.failedPrecondition, "the copy failed PRAGMA integrity_check: \(copy.integrity)", reason: "BACKUP_CORRUPT")
            }
            guard copy.auditOK != false else {
                throw RPCError(.failedPrecondition, "the copy's audit chain does not verify: \(copy.auditProblem)", reason: "BACKUP_AUDIT")
            }
            let sha256 = try DatabaseCopy.sha256(path: temporary)
            guard let file = FileHandle(forReadingAtPath: temporary) else {
                throw RPCError(.internal, "the copy \(temporary) cannot be read back")
            }
            defer { try? file.close() }
            var size: Int64 = 0
            while let data = try file.read(upToCount: Self.backupPartSize), !data.isEmpty {
                try Task.checkCancellation()
                size += Int64(data.count)
                try await writer.send(.with { $0.data = data })
            }
            try await writer.send(.with {
                $0.summary = .with {
                    $0.sizeBytes = size
                    $0.sha256 = sha256
                    $0.integrity = copy.integrity
                    $0.auditOk = copy.auditOK ?? false
                    $0.auditEntries = copy.auditEntries
                    $0.auditHeadSequence = copy.auditHeadSequence
                    $0.auditHeadHash = copy.auditHeadHash
                    $0.migrations = copy.migrations
                    $0.takenAt = takenAt
                    $0.serverVersion = version
                }
            })
            context.logger.notice("backup taken", metadata: [
                "caller": "\(context.principal.caller)", "bytes": "\(size)", "sha256": "\(sha256)",
                "audit_head": "\(copy.auditHeadSequence)",
            ])
        }
    }
}

/// One backup at a time. Each holds several files open while it runs (the copy, its journal,
/// readers of it) besides a VACUUM INTO of the whole database: a second at the same moment gains
/// nothing, and many at once (one connection may run 128 streams) would take the descriptors coid
/// keeps free (`DescriptorLimit.reserve`), which the runtime needs to stay alive.
final class BackupTurn: Sendable {
    private let running = Mutex(false)

    /// Takes the turn; false while another backup has it.
    func take() -> Bool {
        running.withLock { running in
            guard !running else { return false }
            running = true
            return true
        }
    }

    /// Gives the turn back.
    func give() {
        running.withLock { $0 = false }
    }
}
