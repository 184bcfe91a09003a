import COIPluginKit
import GRDB

/// The running plugin's state, shared by its handlers.
final class NetworkService: Sendable {
    let store: Store
    let settings: NetworkSettings
    let batcher: GroupCommitWriter
    /// Wakes followed feeds after a commit.
    let signal: ChangeSignal

    init(store: Store, settings: NetworkSettings) {
        self.store = store
        self.settings = settings
        let signal = ChangeSignal()
        self.signal = signal
        batcher = GroupCommitWriter(store: store, name: "network") { signal.publish() }
    }

    /// Runs a write through the group commit; it is answered once committed.
    /// - Parameter work: The write; throwing rolls it back alone.
    /// - Returns: Its result.
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
