import Synchronization

/// The bytes of one connection's frames handed to the channel and not yet written to the socket,
/// held under `max_buffered_bytes`.
///
/// A stream's Data waits here while the connection is over its budget, so a server stream the
/// client does not read stops being pulled from its handler instead of piling up in the daemon.
/// Back-pressure rather than an error: a slow reader is not at fault, and an error Response could
/// not reach a client that does not read anyway. Final Responses are charged without waiting (the
/// reply already exists; holding it in a task would cost the same memory), and `ConnectionReader` takes
/// no new Request while the budget is exceeded, so no new reply is started for a client that is
/// not reading the ones it has.
final class OutboundBudget: Sendable {
    private enum Condition {
        /// Room for this many bytes (always granted when nothing is queued, so one frame larger
        /// than a small budget still goes out).
        case room(Int)
        /// Less than the limit queued.
        case belowLimit
        /// Nothing queued.
        case empty
    }
    private struct Waiter {
        let id: Int
        let condition: Condition
        let continuation: CheckedContinuation<Bool, Never>
    }
    private struct State {
        var used = 0
        var closed = false
        var waiters: [Waiter] = []
        var nextID = 0
    }
    private let state = Mutex(State())
    private let limit: @Sendable () -> Int

    /// Creates a budget.
    /// - Parameter limit: The bytes allowed, read on every check (it changes on SIGHUP).
    init(limit: @escaping @Sendable () -> Int) {
        self.limit = limit
    }

    /// Bytes handed to the channel and not yet written.
    var used: Int { state.withLock { $0.used } }

    /// Whether less than the limit is queued.
    var isBelowLimit: Bool {
        let max = limit()
        return state.withLock { $0.used < max }
    }

    /// Waits for room for `bytes` and takes it.
    /// - Returns: false when the connection is closing or the task was cancelled (nothing taken).
    func acquire(_ bytes: Int) async -> Bool {
        await wait(.room(bytes))
    }

    /// Takes `bytes` without waiting (a final Response that already exists).
    func charge(_ bytes: Int) {
        state.withLock { $0.used += bytes }
    }

    /// Gives back the bytes of frames the channel has written (or failed to write).
    func release(_ bytes: Int) {
        let ready = state.withLock { state -> [Waiter] in
            state.used -= bytes
            return Self.takeReady(&state, limit: limit())
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }

    /// Waits until less than the limit is queued.
    /// - Returns: false when the connection is closing or the task was cancelled.
    func waitUntilBelowLimit() async -> Bool {
        await wait(.belowLimit)
    }

    /// Waits until every charged frame is written or failed (the connection may then close
    /// without discarding a final Response).
    func waitUntilEmpty() async {
        _ = await wait(.empty)
    }

    /// The connection is going away: whoever waits for room gives up, and so does every later caller.
    func close() {
        let waiting = state.withLock { state -> [Waiter] in
            state.closed = true
            let (ending, staying) = (state.waiters.filter { !Self.survivesClose($0.condition) },
                                     state.waiters.filter { Self.survivesClose($0.condition) })
            state.waiters = staying
            return ending
        }
        for waiter in waiting { waiter.continuation.resume(returning: false) }
    }

    private func wait(_ condition: Condition) async -> Bool {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        let max = limit()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let now = state.withLock { state -> Bool? in
                    if (state.closed && !Self.survivesClose(condition)) || Task.isCancelled { return false }
                    if Self.grant(condition, &state, limit: max) { return true }
                    state.waiters.append(Waiter(id: id, condition: condition, continuation: continuation))
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(returning: false)
        }
    }

    /// Waiting for the queue to empty goes on after close: the frames already handed over still complete.
    private static func survivesClose(_ condition: Condition) -> Bool {
        if case .empty = condition { return true }
        return false
    }

    private static func grant(_ condition: Condition, _ state: inout State, limit: Int) -> Bool {
        switch condition {
        case let .room(bytes):
            guard state.used == 0 || state.used + bytes <= limit else { return false }
            state.used += bytes
            return true
        case .belowLimit:
            return state.used < limit
        case .empty:
            return state.used == 0
        }
    }

    private static func takeReady(_ state: inout State, limit: Int) -> [Waiter] {
        var ready: [Waiter] = []
        var index = 0
        while index < state.waiters.count {
            if grant(state.waiters[index].condition, &state, limit: limit) {
                ready.append(state.waiters.remove(at: index))
            } else {
                index += 1
            }
        }
        return ready
    }
}
