import COIPluginKit
import GRDB

/// The running plugin's state, shared by its handlers.
final class NominationsService: Sendable {
    let store: Store
    let settings: NominationsSettings
    let batcher: WriteBatcher
    let signal: EventSignal
    /// Wakes the phase announcer after a campaign's schedule changed; set once at start.
    let schedulesChanged = EventSignal()

    init(store: Store, settings: NominationsSettings) {
        self.store = store
        self.settings = settings
        let signal = EventSignal()
        self.signal = signal
        batcher = WriteBatcher(pool: store.pool) { signal.fire() }
    }

    /// Runs a write through the group commit.
    /// - Parameter work: The write.
    /// - Returns: Its result, once committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await batcher.write(work)
    }

    /// Runs a read.
    /// - Parameter work: The read.
    /// - Returns: Its result.
    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await store.pool.read(work)
    }
}
