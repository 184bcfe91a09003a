import COIPluginKit
import GRDB

/// The running plugin's state, shared by its handlers.
final class PlacementsService: Sendable {
    let store: Store
    let writer: GroupCommitWriter
    /// Wakes followed feeds after a write commits.
    let changes: ChangeSignal
    /// Other plugins' methods, called as the person served (the wiki, for case pages).
    let calls: PluginCalls
    /// One Publish at a time per seeker: it spans the wiki's transaction and ours.
    let publishing = OneAtATime()

    init(store: Store, calls: PluginCalls = .unavailable) {
        self.store = store
        self.calls = calls
        let changes = ChangeSignal()
        self.changes = changes
        writer = GroupCommitWriter(store: store, name: "placements") { changes.publish() }
    }

    /// Runs a write through the group commit; returns once it is durable.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.write(work)
    }

    /// Runs a read.
    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await store.pool.read(work)
    }
}
