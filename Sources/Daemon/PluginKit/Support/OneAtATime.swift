public import COIWire
import Synchronization

/// Lets one operation at a time run per key in this daemon, and refuses (ABORTED) a second one
/// while the first runs.
///
/// For a write that spans two plugins' transactions and so cannot be made atomic by one
/// transaction. Placements' Publish checks that an evaluation is unpublished, saves a wiki page
/// through the wiki's own method, then records the page. Two Publish calls at once would both
/// pass the check and both create a page, and the loser's page would be left behind unrecorded.
/// The daemon is the database's only writer, so a lock in this process is enough.
public final class OneAtATime: Sendable {
    private let running = Mutex<Set<String>>([])

    public init() {}

    /// Runs `body` while holding `key`.
    /// - Parameters:
    ///   - key: What the operation works on.
    ///   - busy: The error for a second operation on the same key: ABORTED, saying what runs.
    ///   - body: The operation.
    /// - Returns: What `body` returns.
    /// - Throws: `busy()` if another operation holds `key`; otherwise what `body` throws.
    public nonisolated(nonsending) func run<T>(_ key: String, busy: () -> RPCError, _ body: () async throws -> T) async throws -> T {
        guard running.withLock({ $0.insert(key).inserted }) else { throw busy() }
        defer { _ = running.withLock { $0.remove(key) } }
        return try await body()
    }
}
