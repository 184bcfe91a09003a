public import ServiceLifecycle
import Synchronization

/// Long-running work a plugin starts beside its handlers (announcers, sweepers). The host runs
/// each in the daemon's `ServiceGroup`, so they start after the plugin and end on graceful shutdown
/// like the server itself; a service that ends or fails is logged and does not stop the daemon.
public final class BackgroundServices: Sendable {
    private let services = Mutex<[any Service]>([])

    public init() {}

    /// Adds a service to run for as long as the daemon serves.
    /// - Parameter service: The service; its `run` should return on graceful shutdown.
    public func add(_ service: any Service) {
        services.withLock { $0.append(service) }
    }

    /// Every service added so far.
    public var all: [any Service] { services.withLock { $0 } }
}
