import Foundation
import NIOCore

/// How many event loops the daemon runs: one per CPU it may run on (issue 15).
///
/// SwiftNIO sizes its shared event loop group by the machine's cores (or a cgroup quota), not by
/// the process's CPU affinity. A daemon confined to fewer CPUs — systemd's `CPUAffinity=`, a cpuset,
/// `taskset` — then runs more loop threads than CPUs, and they take turns on the same CPU, paying a
/// context switch and a wake-up where one thread would have gone on. Go's runtime sizes GOMAXPROCS
/// from the affinity mask for the same reason.
public enum EventLoopCount {
    /// CPUs in this process's affinity mask, from `Cpus_allowed` in `/proc/self/status`; nil when
    /// it cannot be read (not Linux, no procfs).
    public static func allowedCPUs() -> Int? {
        allowedCPUs(status: try? String(contentsOfFile: "/proc/self/status", encoding: .utf8))
    }

    /// CPUs in the `Cpus_allowed` mask of a `/proc/<pid>/status` text.
    public static func allowedCPUs(status: String?) -> Int? {
        guard let line = status?.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return nil }
        let mask = line.dropFirst("Cpus_allowed:".count).filter { !$0.isWhitespace && $0 != "," }
        var count = 0
        for digit in mask {
            guard let value = digit.hexDigitValue else { return nil }
            count += value.nonzeroBitCount
        }
        return count > 0 ? count : nil
    }

    /// Sizes NIO's shared event loop group to the allowed CPUs when they are fewer than the cores it
    /// would use, unless `NIO_SINGLETON_GROUP_LOOP_COUNT` says otherwise. Call once, before anything
    /// uses the group.
    /// - Returns: The number of loops chosen, or nil when NIO's default stands.
    @discardableResult
    public static func applyAffinity() -> Int? {
        guard ProcessInfo.processInfo.environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil, let allowed = allowedCPUs(),
              allowed < System.coreCount else { return nil }
        NIOSingletons.groupLoopCountSuggestion = allowed
        return allowed
    }
}
