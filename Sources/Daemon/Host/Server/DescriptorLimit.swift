import Foundation

/// The process's open-file limit.
public enum DescriptorLimit {
    /// Raises the soft open-file limit to the hard limit.
    ///
    /// Every connection costs a descriptor; a soft limit of 1024 (the usual default) would cap the
    /// daemon far below what the hard limit allows it.
    /// - Returns: The soft limit before and after, or nil if the limit could not be read or set.
    @discardableResult
    public static func raiseSoftToHard() -> (before: UInt64, after: UInt64)? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        let before = UInt64(limit.rlim_cur)
        guard limit.rlim_cur < limit.rlim_max else { return (before, before) }
        limit.rlim_cur = limit.rlim_max
        guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        return (before, UInt64(limit.rlim_cur))
    }

    /// The current soft open-file limit, or nil if it cannot be read.
    public static var current: UInt64? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        return UInt64(limit.rlim_cur)
    }

    /// Descriptors coid keeps free for itself: connections are refused before they would take
    /// these. The database opens reader connections lazily, a backup opens its copy, SQLite may
    /// open temporary files, and libdispatch (under Swift concurrency) opens `/proc/<tid>/stat`
    /// every second while work is queued and traps the process (SIGILL, "workq: registered worker
    /// exited prematurely") when that `open` fails: running out of descriptors must not happen at all.
    public static let reserve = 64

    /// Descriptors open now (the entries of /proc/self/fd, less the one listing them), or nil
    /// where /proc cannot be read.
    public static var openCount: Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return max(0, count - 1)
    }

    /// The connections the open-file limit leaves room for: the limit, less the descriptors
    /// already open, less `reserve`; at least 1, so that an administrator can still connect.
    /// - Parameters:
    ///   - limit: The soft open-file limit (nil: unknown, no ceiling).
    ///   - open: Descriptors open when the listeners are bound (nil: unknown, taken as 64).
    ///   - reserve: Descriptors kept free.
    /// - Returns: The most connections to hold at once.
    public static func connectionCeiling(limit: UInt64?, open: Int?, reserve: Int = reserve) -> Int {
        guard let limit, limit < UInt64(Int.max / 2) else { return Int.max }
        return max(1, Int(limit) - (open ?? 64) - reserve)
    }
}
