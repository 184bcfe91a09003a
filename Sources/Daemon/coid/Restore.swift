import ArgumentParser
import COIHost
import Foundation

/// `coid restore FILE`: puts a backup in place of the database while coid is stopped.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the database with a backup (coid must be stopped).",
        discussion: """
            Checks FILE first: PRAGMA integrity_check, a schema this coid can open (no migration from a \
            newer coid), and the audit chain under the audit key where the daemon finds it \
            ($CREDENTIALS_DIRECTORY/audit-key or <state_dir>/credentials/audit-key). Refuses while a coid \
            holds the database (<database>.lock). The replaced database, with its -wal and -shm, is renamed \
            to <database>.before-restore-<time>, never deleted. Exit codes: 0 restored, 1 refused (nothing \
            changed), 78 invalid configuration.
            """)

    @Argument(help: "The backup file, from `coictl backup`.") var file: String
    @Option(name: .long, help: "Config file. Default: $COID_CONFIG, else \(ConfigCommand.installedFile) if it exists.")
    var config: String?
    @Option(name: .long, help: "State directory (overrides the config's state_dir).") var stateDir: String?
    @Flag(name: .long, help: "Restore even if the audit chain does not verify (e.g. the key that belongs to the backup is lost).")
    var noAuditCheck = false

    func run() throws {
        let loaded = try ConfigCommand.loadOrExit(file: config ?? ConfigCommand.defaultFile(), stateDirectory: stateDir)
        do {
            let report = try DatabaseRestore.restore(file: file, config: loaded, plugins: registeredPlugins, checkAudit: !noAuditCheck)
            print("restored \(file) to \(report.database) (\(report.sizeBytes) bytes, \(report.migrations.count) migrations, "
                  + "\(report.auditEntries) audit entries)")
            print("audit chain: \(report.auditVerified == true ? "ok, " : "")\(report.auditNote)")
            if report.keptAside.isEmpty {
                print("there was no database before")
            } else {
                print("the previous database is kept as \(report.keptAside.joined(separator: ", "))")
            }
        } catch {
            FileHandle.standardError.write(Data("coid restore: refused: \(error)\nnothing was changed\n".utf8))
            throw ExitCode.failure
        }
    }
}
