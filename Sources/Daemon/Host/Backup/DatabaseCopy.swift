import COIPluginKit
import Crypto
import Foundation
import GRDB

/// What a copy of the database holds, checked without opening it for writing: the basis of both
/// `Backup/Create` (before a byte leaves the server) and `coid restore` (before anything is replaced).
struct DatabaseCopy: Sendable {
    /// `PRAGMA integrity_check`: "ok" or SQLite's problems.
    var integrity: String
    /// Every migration recorded in `grdb_migrations`, sorted.
    var migrations: [String]
    /// The audit chain's verdict; nil when no key was given to check it with.
    var auditOK: Bool?
    /// The first problem the chain check found, if any.
    var auditProblem: String
    var auditEntries: Int64
    var auditHeadSequence: Int64
    var auditHeadHash: String

    /// Why a file is not a usable copy.
    struct Unusable: Error, CustomStringConvertible {
        let description: String
    }

    /// Inspects the SQLite file at `path`, read-only.
    /// - Parameters:
    ///   - path: The copy.
    ///   - auditKey: The key to verify the audit chain with; nil skips that check.
    /// - Throws: `Unusable` when the file is not an SQLite database or holds no coid schema.
    static func inspect(path: String, auditKey: SymmetricKey?) throws -> DatabaseCopy {
        var configuration = Configuration()
        configuration.readonly = true
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw Unusable(description: "\(path) is not an SQLite database (\(error))")
        }
        defer { try? queue.close() }
        return try queue.read { db in
            let integrity: String
            do {
                integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
            } catch {
                throw Unusable(description: "\(path) is not an SQLite database (\(error))")
            }
            guard try db.tableExists("grdb_migrations"), try db.tableExists("identity_audit") else {
                throw Unusable(description: "\(path) is not a coid database (no grdb_migrations or identity_audit table)")
            }
            let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            var copy = DatabaseCopy(integrity: integrity, migrations: migrations, auditOK: nil, auditProblem: "",
                                    auditEntries: 0, auditHeadSequence: 0, auditHeadHash: AuditLog.genesis)
            if let head = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM identity_audit ORDER BY sequence DESC LIMIT 1") {
                copy.auditHeadSequence = head["sequence"]
                copy.auditHeadHash = head["hash"]
            }
            copy.auditEntries = try Int64.fetchOne(db, sql: "SELECT count(*) FROM identity_audit") ?? 0
            if let auditKey, integrity == "ok" {
                var check = ChainCheck(key: auditKey, keyID: AuditLog.keyID(auditKey), anchor: nil)
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM identity_audit ORDER BY sequence")
                while let row = try rows.next() { check.add(row) }
                let verdict = check.finish()
                copy.auditOK = verdict.ok
                copy.auditProblem = verdict.ok ? "" : "entry \(verdict.firstBadSequence): \(verdict.problem) (\(verdict.badCount) bad)"
            }
            return copy
        }
    }

    /// Migrations in the copy that this build does not know for a plugin it has: the copy was
    /// written by a newer coid, which this one must not open (the daemon refuses such a database too).
    /// - Parameter known: Every migration this build has, "<plugin id>/<migration>".
    /// - Returns: The unknown ones, sorted.
    func supersededMigrations(known: Set<String>) -> [String] {
        let plugins = Set(known.compactMap { $0.split(separator: "/", maxSplits: 1).first.map(String.init) })
        return migrations.filter { migration in
            guard let plugin = migration.split(separator: "/", maxSplits: 1).first.map(String.init) else { return false }
            return plugins.contains(plugin) && !known.contains(migration)
        }
    }

    /// SHA-256 of a file as 64 hex digits, read in 1 MiB pieces.
    static func sha256(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Unusable(description: "\(path) cannot be read") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty { hasher.update(data: data) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
