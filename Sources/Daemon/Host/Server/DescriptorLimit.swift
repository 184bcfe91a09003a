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
}
