import Synchronization

/// Wakes open feeds after a change commits. Carries no data: a feed reads what is new from the
/// database, so a signal coalesced or missed under load loses nothing (at worst a waiter notices at
/// its timeout).
public final class ChangeSignal: Sendable {
    private struct State {
        var subscribers: [Int: AsyncStream<Void>.Continuation] = [:]
        var nextID = 0
    }
    private let state = Mutex(State())

    public init() {}

    /// A stream that yields after each change; bursts coalesce into one wake-up. It unsubscribes
    /// itself when its consumer stops.
    /// - Returns: The stream.
    public func subscribe() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> Int in
            defer { state.nextID += 1 }
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Wakes every subscriber and waiter.
    public func publish() {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for continuation in subscribers { continuation.yield() }
    }

    /// Waits for the next `publish`, or at most `timeout`, so a stream notices a closed peer promptly.
    /// - Parameter timeout: The longest wait.
    public func wait(timeout: Duration) async {
        let changes = subscribe()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in changes { return }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
            }
            await group.next()
            group.cancelAll()
        }
    }
}
