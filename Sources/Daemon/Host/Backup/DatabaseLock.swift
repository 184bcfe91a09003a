import Foundation

/// An exclusive `flock` on `<database>.lock`, held by a running coid for its whole life, so that
/// `coid restore` can tell that a daemon still has the database open (and a second daemon on the
/// same database refuses to start). The kernel drops the lock when the process exits, however it
/// exits: a stale file from a killed daemon never blocks anything.
public final class DatabaseLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// Why the lock could not be taken.
    public struct Held: Error, CustomStringConvertible {
        public let path: String
        public let holder: String
        public var description: String {
            "a coid is running on this database (\(path) is locked\(holder.isEmpty ? "" : " by pid \(holder)")); stop it first"
        }
    }

    /// Why the lock file cannot be opened at all.
    public struct Unopenable: Error, CustomStringConvertible {
        public let description: String
    }

    /// Takes the lock or fails at once.
    /// - Parameter database: The database file; the lock is `<database>.lock` beside it.
    /// - Throws: `Held` when another process holds it; `Unopenable` when the file cannot be created.
    public init(database: String) throws {
        path = database + ".lock"
        var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        // A lock file another user left (root running `coid restore`) can still be locked read-only.
        if fd < 0, errno == EACCES { fd = open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw Unopenable(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw Held(path: path, holder: holder)
        }
        // The pid, for the message a second process prints; the lock itself is the flock.
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        descriptor = fd
    }

    deinit { close(descriptor) }
}
