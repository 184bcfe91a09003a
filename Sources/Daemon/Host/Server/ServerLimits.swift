import Synchronization

/// Connection and stream limits; all of them can change on SIGHUP.
public struct ServerLimits: Sendable, Equatable {
    /// Connections beyond this are closed at once.
    public var maxConnections: Int = 1024
    /// Streams one connection may have open at once; more get RESOURCE_EXHAUSTED.
    public var maxConcurrentStreams: Int = 128
    /// Bytes one connection may have queued (client-streamed messages not yet consumed, replies not yet sent).
    public var maxBufferedBytes: Int = 16 * 1024 * 1024
    /// Close connections with no open stream for this long; nil = never.
    public var idleTimeout: Duration? = .seconds(300)
    /// How long in-flight calls may run on after SIGTERM.
    public var shutdownGrace: Duration = .seconds(10)

    public init() {}
}

/// Settings that SIGHUP may replace while connections read them.
public final class LiveSettings: Sendable {
    private let limitsBox: Mutex<ServerLimits>

    /// Creates the settings.
    /// - Parameter limits: The initial limits.
    public init(limits: ServerLimits) {
        limitsBox = Mutex(limits)
    }

    /// The current limits.
    public var limits: ServerLimits {
        get { limitsBox.withLock { $0 } }
        set { limitsBox.withLock { $0 = newValue } }
    }
}
