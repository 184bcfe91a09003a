import Synchronization

/// Connection and stream limits; all of them can change on SIGHUP.
public struct ServerLimits: Sendable, Equatable {
    /// Connections beyond this are closed at once.
    public var maxConnections: Int = 1024
    /// Connections one local user (the Unix peer's uid) may hold at once.
    public var maxConnectionsPerUID: Int = 256
    /// Connections without Unix credentials (TCP/TLS, anonymous until a call presents a token), together.
    public var maxAnonymousConnections: Int = 256
    /// Long-lived streams (feeds, watches) one identified principal may hold at once, over all connections.
    public var maxLongLivedStreamsPerPrincipal: Int = 64
    /// Long-lived streams all anonymous callers together may hold at once.
    public var maxLongLivedStreamsAnonymous: Int = 32
    /// Streams one connection may have open at once; more get RESOURCE_EXHAUSTED.
    public var maxConcurrentStreams: Int = 128
    /// Bytes one connection may hold in each direction: inbound, client-streamed messages not yet
    /// consumed and the requests of its running calls; outbound, frames not yet written to the socket.
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
