public import COIPluginKit
public import Foundation
import Synchronization

/// A wall clock that moves only when a test says so.
public final class ManualClock: WallClock {
    private let current: Mutex<Date>

    /// Creates a clock.
    /// - Parameter start: The time it shows first.
    public init(start: Date = Date()) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward.
    /// - Parameter seconds: How far.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
