public import CoreMetrics
public import GRDB

/// The daemon's one SQLite database, shared by all plugins (each owns its prefixed tables).
///
/// One database keeps backup, restore and cross-plugin links consistent. WAL lets readers run
/// beside the single writer; `synchronous = FULL` (the default) makes every acknowledged commit
/// survive power loss, not only a crash of the process.
public final class Store: Sendable {
    /// How hard SQLite works to make commits durable.
    public enum Synchronous: String, Sendable, CaseIterable {
        /// fsync the WAL at every commit: survives power loss.
        case full
        /// fsync at checkpoints only: survives a crash of coid, may lose the last commits on power loss.
        case normal
    }

    /// Where the database file is.
    public let path: String
    /// The connection pool: `pool.write { db in … }` and `pool.read { db in … }`.
    public let pool: DatabasePool
    /// Where the store's users record metrics (group-commit batch sizes); a no-op unless the host gives one.
    public let metrics: any MetricsFactory
    /// Whether `GroupCommitWriter`s put concurrent writes in one transaction (the default). Off,
    /// each write commits its own transaction and pays its own fsync: only for measuring what
    /// group commit buys (`database.group_commit = false`).
    public let groupCommit: Bool

    /// Opens (creating if needed) the database.
    /// - Parameters:
    ///   - path: The database file.
    ///   - synchronous: Durability level.
    ///   - busyTimeoutMilliseconds: How long a writer waits for the lock before failing.
    ///   - metrics: The host's metrics factory (swift-metrics); none by default.
    ///   - groupCommit: Whether group-commit writers batch writes; off, one transaction per write.
    ///   - writerCacheKiB: The page cache of the single writer connection, in KiB (32 MiB by default;
    ///     readers keep SQLite's 2 MiB). It fills only as pages are used.
    /// - Throws: When the file cannot be opened or is not a database.
    public init(path: String, synchronous: Synchronous = .full, busyTimeoutMilliseconds: Int = 5000,
                metrics: any MetricsFactory = NOOPMetricsHandler.instance, groupCommit: Bool = true,
                writerCacheKiB: Int = 32 * 1024) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(Double(busyTimeoutMilliseconds) / 1000)
        configuration.label = "coid"
        // coi_fold(text): the kit's Danish folding in SQL, on every connection (readers and writer).
        configuration.prepareDatabase { db in db.add(function: DanishFolding.sqlFunction) }
        self.path = path
        self.metrics = metrics
        self.groupCommit = groupCommit
        self.pool = try DatabasePool(path: path, configuration: configuration)
        // GRDB sets NORMAL on the writer of a WAL pool after `prepareDatabase`; only the writer
        // commits, so the level is set there, once.
        let syncPragma = synchronous == .full ? "FULL" : "NORMAL"
        try pool.barrierWriteWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(syncPragma)")
            // Every write goes through this one connection, and whole-season work (placements'
            // matching reads 200,000 ranking rows in the transaction that writes its result) re-read
            // its pages from the OS through pread with SQLite's default 2 MiB cache.
            try db.execute(sql: "PRAGMA cache_size = \(-max(writerCacheKiB, 2 * 1024))")
        }
    }

    /// Runs `PRAGMA integrity_check`.
    /// - Returns: "ok" or SQLite's list of problems.
    public func integrityCheck() async throws -> String {
        try await pool.read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
        }
    }

    /// The SQLite library version in use.
    public var sqliteVersion: String {
        (try? pool.read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") }) ?? "unknown"
    }
}
