import COIPluginKit
import GRDB
import Synchronization

/// The running plugin's state, shared by its handlers.
final class BarometerService: Sendable {
    let store: Store
    /// Estimation inputs per wave, rebuilt when the wave's responses or design change.
    let cache = Mutex<[String: WaveData]>([:])

    init(store: Store) {
        self.store = store
    }

    /// Runs a write transaction; everything in it commits or nothing does.
    /// - Parameter work: The write.
    /// - Returns: Its result.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await store.pool.write(work)
    }

    /// Runs a read.
    /// - Parameter work: The read.
    /// - Returns: Its result.
    func read<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await store.pool.read(work)
    }

    /// Forgets a wave's cached estimation inputs after a change to them.
    /// - Parameter waveID: The wave.
    func invalidate(_ waveID: String) {
        _ = cache.withLock { $0.removeValue(forKey: waveID) }
    }
}
