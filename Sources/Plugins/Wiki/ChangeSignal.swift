/// Wakes open feeds after a change commits. Carries no data: a feed reads what is new from the
/// database, so a signal coalesced or missed under load loses nothing.
actor ChangeSignal {
    private var subscribers: [Int: AsyncStream<Void>.Continuation] = [:]
    private var nextID = 0

    /// A stream that yields after each change (bursts coalesce into one wake-up).
    /// - Returns: The stream; it unsubscribes itself when its consumer stops.
    func subscribe() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = nextID
        nextID += 1
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    /// Wakes every subscriber.
    func publish() {
        for continuation in subscribers.values { continuation.yield() }
    }

    private func unsubscribe(_ id: Int) {
        subscribers[id] = nil
    }
}
