import COIPluginKit
import Synchronization

/// Messages a client streams to one handler. Bytes queued here count against the connection's
/// buffer limit until the handler takes them.
final class InboundQueue: Sendable {
    private struct State {
        var messages: [[UInt8]] = []
        var head = 0
        var finished: (any Error)?? = nil
        var waiter: CheckedContinuation<[UInt8]?, any Error>?
    }
    private let state = Mutex(State())
    private let budget: ByteBudget

    init(budget: ByteBudget) {
        self.budget = budget
    }

    /// Adds a message; returns false when the connection's budget is exhausted.
    func push(_ message: [UInt8]) -> Bool {
        guard budget.take(message.count) else { return false }
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.messages.append(message)
            return nil
        }
        if let waiter {
            budget.give(message.count)
            waiter.resume(returning: message)
        }
        return true
    }

    /// Ends the stream, normally (nil) or with an error.
    func finish(_ error: (any Error)? = nil) {
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
            if state.finished == nil { state.finished = .some(error) }
            defer { state.waiter = nil }
            return state.waiter
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
    }

    /// Releases the budget of messages never taken.
    func discard() {
        let bytes = state.withLock { state -> Int in
            let rest = state.messages[state.head...].reduce(0) { $0 + $1.count }
            state.messages = []
            state.head = 0
            return rest
        }
        budget.give(bytes)
    }

    func next() async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = state.withLock { state -> Result<[UInt8]?, any Error>? in
                if state.head < state.messages.count {
                    let message = state.messages[state.head]
                    state.head += 1
                    if state.head > 64 && state.head * 2 > state.messages.count {
                        state.messages.removeFirst(state.head)
                        state.head = 0
                    }
                    return .success(message)
                }
                if let finished = state.finished {
                    if let error = finished { return .failure(error) }
                    return .success(nil)
                }
                state.waiter = continuation
                return nil
            }
            switch outcome {
            case let .success(message)?:
                if let message { budget.give(message.count) }
                continuation.resume(returning: message)
            case let .failure(error)?:
                continuation.resume(throwing: error)
            case nil:
                break
            }
        }
    }

    /// The queue as the stream type handlers receive.
    func stream() -> RawRequestStream {
        RawRequestStream { [self] in try await self.next() }
    }
}

/// A connection's byte allowance, shared by its queues.
final class ByteBudget: Sendable {
    private let used = Mutex(0)
    private let limit: @Sendable () -> Int

    init(limit: @escaping @Sendable () -> Int) {
        self.limit = limit
    }

    func take(_ bytes: Int) -> Bool {
        let max = limit()
        return used.withLock { used in
            guard used + bytes <= max else { return false }
            used += bytes
            return true
        }
    }

    /// Takes `bytes`; with `evenOverLimitWhenEmpty`, also when nothing else is held (one request
    /// larger than a small budget still runs).
    func take(_ bytes: Int, evenOverLimitWhenEmpty: Bool) -> Bool {
        guard evenOverLimitWhenEmpty else { return take(bytes) }
        let max = limit()
        return used.withLock { used in
            guard used == 0 || used + bytes <= max else { return false }
            used += bytes
            return true
        }
    }

    func give(_ bytes: Int) {
        used.withLock { $0 -= bytes }
    }
}
