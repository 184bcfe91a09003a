import Foundation
import Synchronization

/// Token buckets per principal: `rate` calls a second sustained, `burst` at once.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }
    private struct State {
        var rate: Double
        var burst: Double
        var buckets: [String: Bucket] = [:]
    }
    private let state: Mutex<State>
    /// Read without the lock on every call: limits are off by default.
    private let enabled: Atomic<Bool>

    init(rate: Double, burst: Double) {
        state = Mutex(State(rate: rate, burst: burst))
        enabled = Atomic(rate > 0)
    }

    /// Changes the limits (SIGHUP).
    func configure(rate: Double, burst: Double) {
        state.withLock {
            $0.rate = rate
            $0.burst = burst
            $0.buckets = [:]
        }
        enabled.store(rate > 0, ordering: .relaxed)
    }

    /// Takes one call from the principal's bucket.
    /// - Parameter key: The principal.
    /// - Returns: nil if allowed, else how long until the next call would be.
    func take(_ key: @autoclosure () -> String) -> Duration? {
        guard enabled.load(ordering: .relaxed) else { return nil }
        let key = key()
        let now = ContinuousClock.now
        return state.withLock { state -> Duration? in
            guard state.rate > 0 else { return nil }
            var bucket = state.buckets[key] ?? Bucket(tokens: state.burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(state.burst, bucket.tokens + seconds * state.rate)
            bucket.updated = now
            defer {
                if state.buckets.count > 100_000 { state.buckets = [:] }
                state.buckets[key] = bucket
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return .milliseconds(Int(((1 - bucket.tokens) / state.rate * 1000).rounded(.up)))
        }
    }
}
