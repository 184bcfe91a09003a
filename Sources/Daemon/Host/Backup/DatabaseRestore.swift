public import COIPluginKit
public import Foundation

/// `coid restore FILE`: replaces the configured database with a backup, offline, after checking it.
///
/// Nothing is replaced until the file passed `PRAGMA integrity_check`, holds a coid schema this
/// build can open (no migration from a newer coid), its audit chain verified under the audit key
/// found where the daemon looks for it, and no coid holds the database's lock. The database it
/// replaces, with its `-wal` and `-shm`, is renamed aside, never deleted.
public enum DatabaseRestore {
    /// What a restore did.
    public struct Report: Sendable {
        /// The database file now holding the backup.
        public var database: String
        /// The files of the previous database, renamed aside (empty when there was none).
        public var keptAside: [String]
        public var sizeBytes: Int64
        public var migrations: [String]
        public var auditEntries: Int64
        /// The audit chain's verdict; nil when it was not checked (no key, or `checkAudit` false).
        public var auditVerified: Bool?
        /// Where the audit key was read, or why the chain was not checked.
        public var auditNote: String
    }

    /// Why the backup was not restored; nothing was changed.
    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    /// Checks `file` and, if it passes, puts it in place of the configured database.
    /// - Parameters:
    ///   - file: The backup (an SQLite file from `coictl backup`, or a copy of a cleanly stopped coid.db).
    ///   - config: Where the database and the audit key are.
    ///   - plugins: The plugins compiled in, whose migrations the backup may hold.
    ///   - checkAudit: Whether a chain that does not verify refuses the restore.
    ///   - environment: For `CREDENTIALS_DIRECTORY`.
    /// - Returns: What was done.
    /// - Throws: `Refused` naming the reason.
    public static func restore(file: String, config: DaemonConfig, plugins: [any Plugin], checkAudit: Bool = true,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Report {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw Refused(description: "\(file): no such file")
        }
        guard manager.isReadableFile(atPath: file) else { throw Refused(description: "\(file): cannot be read (permission denied)") }
        let source = (file as NSString).standardizingPath
        let target = config.databasePath
        guard URL(fileURLWithPath: source).resolvingSymlinksInPath().path != URL(fileURLWithPath: target).resolvingSymlinksInPath().path else {
            throw Refused(description: "\(file) is the database itself; restore from a copy")
        }

        let key: AuditKey.Loaded?
        do {
            key = checkAudit ? try AuditKey.existing(stateDirectory: config.stateDirectory, environment: environment) : nil
        } catch {
            throw Refused(description: "\(error); pass --no-audit-check to restore without checking the audit chain")
        }
        let copy: DatabaseCopy
        do {
            copy = try DatabaseCopy.inspect(path: source, auditKey: key?.key)
        } catch {
            throw Refused(description: "\(error)")
        }
        guard copy.integrity == "ok" else {
            throw Refused(description: "\(file) failed PRAGMA integrity_check: \(copy.integrity)")
        }
        let known = Set(([CorePluginMigrations.core, CorePluginMigrations.identity] + plugins.map { ($0.id, $0.migrations) })
            .flatMap { entry in entry.1.map { "\(entry.0)/\($0.identifier)" } })
        let superseded = copy.supersededMigrations(known: known)
        guard superseded.isEmpty else {
            throw Refused(description: "\(file) was written by a newer coid: it has migrations this version does not know "
                + "(\(superseded.joined(separator: ", "))); restore it with that version or newer")
        }
        guard copy.migrations.contains(where: { $0.hasPrefix("coi.core/") }) else {
            throw Refused(description: "\(file) is not a coid database (no coi.core migrations)")
        }
        if copy.auditOK == false {
            throw Refused(description: "\(file): the audit chain does not verify under the key in \(key?.path ?? "?"): \(copy.auditProblem). "
                + "Restore the audit key that belongs to this backup first, or pass --no-audit-check")
        }

        let directory = (target as NSString).deletingLastPathComponent
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw Refused(description: "cannot create \(directory): \((error as NSError).localizedDescription)")
        }
        let lock: DatabaseLock
        do {
            lock = try DatabaseLock(database: target)
        } catch {
            throw Refused(description: "\(error)")
        }
        defer { withExtendedLifetime(lock) {} }

        // Copy first, under a temporary name on the same file system, so that the rename is the
        // only moment the database changes and a failed copy leaves everything as it was.
        let incoming = target + ".restoring"
        unlink(incoming)
        do {
            try copyDurably(from: source, to: incoming)
        } catch {
            unlink(incoming)
            throw Refused(description: "cannot copy \(file) to \(incoming): \(error)")
        }
        let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!,
                                                formatOptions: [.withYear, .withMonth, .withDay, .withTime, .withTimeZone])
        let aside = target + ".before-restore-" + stamp.replacingOccurrences(of: ":", with: "")
        var keptAside: [String] = []
        for suffix in ["", "-wal", "-shm"] where manager.fileExists(atPath: target + suffix) {
            guard rename(target + suffix, aside + suffix) == 0 else {
                let reason = String(cString: strerror(errno))
                // Put back what was already moved: the old database stays usable.
                for moved in keptAside { rename(moved, target + String(moved.dropFirst(aside.count))) }
                unlink(incoming)
                throw Refused(description: "cannot move \(target + suffix) aside: \(reason)")
            }
            keptAside.append(aside + suffix)
        }
        guard rename(incoming, target) == 0 else {
            throw Refused(description: "cannot rename \(incoming) to \(target): \(String(cString: strerror(errno))); the old database is in \(aside)")
        }
        syncDirectory(directory)
        giveToDirectoryOwner([target, lock.path], directory: directory)

        let size = ((try? manager.attributesOfItem(atPath: target))?[.size] as? NSNumber)?.int64Value ?? 0
        let note = !checkAudit ? "not checked (--no-audit-check)"
            : key.map { "verified with \($0.path)" } ?? "not checked: no audit key in \(config.stateDirectory)/credentials or $CREDENTIALS_DIRECTORY"
        return Report(database: target, keptAside: keptAside, sizeBytes: size, migrations: copy.migrations,
                      auditEntries: copy.auditEntries, auditVerified: copy.auditOK, auditNote: note)
    }

    /// Copies a file to a new 0600 file and fsyncs it.
    private static func copyDurably(from source: String, to destination: String) throws {
        guard let input = FileHandle(forReadingAtPath: source) else { throw Refused(description: "cannot read \(source)") }
        defer { try? input.close() }
        let fd = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Refused(description: String(cString: strerror(errno))) }
        let output = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        while let data = try input.read(upToCount: 1 << 20), !data.isEmpty { try output.write(contentsOf: data) }
        try output.synchronize()
        try output.close()
    }

    private static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Run as root for a daemon that runs as `coi`: the files must belong to the state directory's
    /// owner, or the daemon could not open its own database.
    private static func giveToDirectoryOwner(_ paths: [String], directory: String) {
        guard getuid() == 0 else { return }
        var info = stat()
        guard stat(directory, &info) == 0, info.st_uid != 0 else { return }
        for path in paths { _ = chown(path, info.st_uid, info.st_gid) }
    }
}

/// The migrations of the two plugins the host always runs, by plugin id.
enum CorePluginMigrations {
    static var core: (String, [Migration]) { ("coi.core", CorePlugin.migrationList) }
    static var identity: (String, [Migration]) { ("coi.identity", IdentityPlugin.migrationList) }
}
