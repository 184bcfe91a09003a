import COIPluginKit
import GRDB

/// The running plugin's state, shared by its handlers.
final class NominationsService: Sendable {
    let store: Store
    let settings: NominationsSettings
    let batcher: GroupCommitWriter
    let signal: ChangeSignal
    /// Wakes the phase announcer after a campaign's schedule changed; set once at start.
    let schedulesChanged = ChangeSignal()

    init(store: Store, settings: NominationsSettings) {
        self.store = store
        self.settings = settings
        let signal = ChangeSignal()
        self.signal = signal
        batcher = GroupCommitWriter(store: store, name: "nominations") { signal.publish() }
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
