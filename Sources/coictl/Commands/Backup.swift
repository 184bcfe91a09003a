import ArgumentParser
import COIProto
import Crypto
import Foundation

/// `coictl backup --out FILE`: a verified copy of coid's database, taken while coid keeps serving.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the whole database to FILE while coid runs (admins).",
        discussion: """
            coid takes a consistent snapshot (every write acknowledged before the backup started is in \
            it), checks it with PRAGMA integrity_check and its audit chain, then sends it; coictl checks \
            size and SHA-256 and writes FILE with mode 0600 (it holds personal data and token hashes). \
            FILE appears only when complete: the bytes go to FILE.partial first. The call has no \
            deadline (--timeout does not apply). Restore with `coid restore FILE` while coid is stopped. \
            Keep the audit key (credentials/audit-key) elsewhere, not beside the backup.
            """)
    @OptionGroup var options: GlobalOptions
    @Option(help: ArgumentHelp("The file to write (created with mode 0600).", valueName: "file")) var out: String
    @Flag(help: "Replace FILE if it exists.") var force = false

    func run() async throws {
        guard !out.isEmpty else { throw ValidationError("--out must name a file") }
        if FileManager.default.fileExists(atPath: out), !force {
            fail("ALREADY_EXISTS", "\(out) exists; pass --force to replace it")
        }
        let partial = out + ".partial"
        let fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { fail("INTERNAL", "cannot create \(partial): \(String(cString: strerror(errno)))") }
        // An older FILE.partial keeps its mode under O_CREAT: set it.
        fchmod(fd, 0o600)
        let file = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var hasher = SHA256()
        var size: Int64 = 0
        var summary: Coi_Core_V1_BackupSummary?
        let started = ContinuousClock.now
        do {
            try await Session.with(options) { session in
                try await session.serverStream(Coi_Core_V1_Backup.Method.create, Coi_Core_V1_BackupRequest(), follow: true) { part in
                    if !part.data.isEmpty {
                        try file.write(contentsOf: part.data)
                        hasher.update(data: part.data)
                        size += Int64(part.data.count)
                    }
                    if part.hasSummary { summary = part.summary }
                }
            }
            guard let summary else { throw BackupFailure("the stream ended before coid sent its summary: the copy is incomplete") }
            let sha256 = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            guard size == summary.sizeBytes, sha256 == summary.sha256 else {
                throw BackupFailure("received \(size) bytes with SHA-256 \(sha256), coid sent \(summary.sizeBytes) bytes with \(summary.sha256)")
            }
            try file.synchronize()
            try file.close()
            guard rename(partial, out) == 0 else { throw BackupFailure("cannot rename \(partial) to \(out): \(String(cString: strerror(errno)))") }
            render(summary, seconds: (ContinuousClock.now - started) / .seconds(1))
        } catch let failure as BackupFailure {
            unlink(partial)
            fail("DATA_LOSS", failure.message)
        } catch {
            unlink(partial)
            throw error
        }
    }

    private func render(_ summary: Coi_Core_V1_BackupSummary, seconds: Double) {
        if options.json {
            var object = ProtoJSON.value(summary) as? [String: Any] ?? [:]
            object["file"] = out
            Output.json(object)
            return
        }
        Output.line("""
            wrote \(out): \(summary.sizeBytes) bytes in \(String(format: "%.1f", seconds)) s, sha256 \(summary.sha256)
            taken at \(summary.takenAt) by coid \(summary.serverVersion); integrity \(summary.integrity); \
            audit chain \(summary.auditOk ? "verified" : "NOT verified"), \(summary.auditEntries) entries, head \(summary.auditHeadSequence) \(summary.auditHeadHash)
            schema: \(summary.migrations.count) migrations
            """)
    }

    /// Prints coictl's own error (the server's come as RPCError through the session) and exits 1.
    private func fail(_ code: String, _ message: String) -> Never {
        Output.failure(code: code, message: "coictl backup: \(message)")
        Foundation.exit(1)
    }
}

private struct BackupFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
