public import Foundation

/// Where "now" comes from for decisions that depend on the calendar (token expiry, phases by
/// date), so tests can move time instead of sleeping.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}
