import CoreMetrics
public import GRDB
import Synchronization

/// Group commit for a plugin's writes (and the audit log's): while one transaction is being written, writes from other
/// calls queue up, and the next transaction runs them all, each in its own savepoint.
///
/// With `synchronous = FULL` every commit waits for an fsync; sharing one among all the calls
/// that arrived meanwhile is what lets concurrent submissions go faster than fsyncs do. A call is
/// answered only after the transaction holding its write has committed, so an acknowledged write
/// survives kill -9. A write that fails rolls back its own savepoint only: the others commit.
/// Once queued, a write is never cancelled; like the audit log, a caller that goes away does not
/// undo a change that is about to be made durable.
public final class GroupCommitWriter: Sendable {
    private struct Item: Sendable {
        /// Runs the write in the shared transaction, keeping its result for `finish`.
        let run: @Sendable (Database) -> Void
        /// Answers the caller once the transaction's fate is known (nil: committed).
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct Queue {
        var pending: [Item] = []
        var writing = false
    }

    private let pool: DatabasePool
    private let queue = Mutex(Queue())
    private let committed: @Sendable () -> Void
    /// Writes per transaction, by writer.
    private let batchSizes: Recorder
    /// The histogram of batch sizes the writers record into.
    public static let batchSizeMetric = "coid_group_commit_batch_size"
    /// The most writes one transaction takes, so a burst cannot hold the write lock for long; 1
    /// when the store's group commit is off (one transaction, one fsync per write).
    let maxBatch: Int

    /// Creates a writer.
    /// - Parameters:
    ///   - store: The database; its metrics factory receives the batch sizes.
    ///   - name: The writer's name in metrics (`writer` label), e.g. the plugin's namespace.
    ///   - committed: Called after each committed transaction (wakes the event feed).
    public init(store: Store, name: String, committed: @escaping @Sendable () -> Void = {}) {
        self.pool = store.pool
        self.committed = committed
        self.maxBatch = store.groupCommit ? 1024 : 1
        self.batchSizes = Recorder(label: Self.batchSizeMetric, dimensions: [("writer", name)], aggregate: true,
                                   factory: store.metrics)
    }

    /// Runs `work` in a shared transaction and returns its result once that transaction committed.
    /// - Parameter work: The write; throwing rolls back this write alone.
    /// - Returns: What `work` returned.
    public func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let outcome = Mutex<Result<T, any Error>?>(nil)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let item = Item(run: { db in
                let result: Result<T, any Error>
                do {
                    var value: T?
                    try db.inSavepoint {
                        value = try work(db)
                        return .commit
                    }
                    result = .success(value!)
                } catch {
                    result = .failure(error)
                }
                outcome.withLock { $0 = result }
            }, finish: { failure in
                if let failure {
                    continuation.resume(throwing: failure)
                } else {
                    continuation.resume(with: outcome.withLock { $0 } ?? .failure(CancellationError()))
                }
            })
            let leads = queue.withLock { queue -> Bool in
                queue.pending.append(item)
                defer { queue.writing = true }
                return !queue.writing
            }
            if leads { writeBatch() }
        }
    }

    /// Writes what is queued in one transaction, then the next batch, until the queue is empty.
    private func writeBatch() {
        let batch = queue.withLock { queue -> [Item] in
            if queue.pending.isEmpty {
                queue.writing = false
                return []
            }
            let taken = Array(queue.pending.prefix(maxBatch))
            queue.pending.removeFirst(taken.count)
            return taken
        }
        guard !batch.isEmpty else { return }
        batchSizes.record(batch.count)
        pool.asyncWrite({ db in
            for item in batch { item.run(db) }
        }, completion: { _, result in
            let failure: (any Error)? = if case let .failure(error) = result { error } else { nil }
            for item in batch { item.finish(failure) }
            if failure == nil { self.committed() }
            self.writeBatch()
        })
    }
}
