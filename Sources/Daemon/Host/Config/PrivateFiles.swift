import Foundation
import Logging

/// Keeps the database files private to coid's user.
///
/// `umask(0o077)` at start makes every file coid creates 0600; this also tightens files an older
/// coid (or a run under a looser umask) left readable by others, since the database holds tokens'
/// hashes and personal data.
enum PrivateFiles {
    /// Sets the database, its WAL and its shared-memory file to 0600 where they are looser.
    /// - Parameters:
    ///   - database: The database path; `-wal` and `-shm` beside it are included.
    ///   - logger: Told about each file tightened.
    static func restrict(database: String, logger: Logger) {
        for path in [database, database + "-wal", database + "-shm"] {
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { continue }
            if chmod(path, 0o600) == 0 {
                logger.notice("database file was readable by others; now 0600",
                              metadata: ["path": "\(path)", "was": "\(String(info.st_mode & 0o777, radix: 8))"])
            }
        }
    }
}
