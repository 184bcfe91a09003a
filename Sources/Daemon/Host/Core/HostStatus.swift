import COIProto
import Foundation
import Synchronization

/// What the core services report about the running daemon; the host fills it in as it starts.
public final class HostStatus: Sendable {
    /// One plugin's state.
    public struct PluginState: Sendable, Equatable {
        public enum Status: String, Sendable { case ok, skipped, error }
        public var id: String
        public var requires: [String]
        public var services: [String]
        public var permissions: [String]
        public var status: Status
        public var reason: String
        public var schemaVersion: String
    }

    struct State {
        var plugins: [PluginState] = []
        var serving = false
        var listeners: [String] = []
        var databasePath = ""
        var stateDirectory = ""
        var configFile = ""
        var sqliteVersion = ""
        var watchers: [Int: AsyncStream<Void>.Continuation] = [:]
        var nextWatcher = 0
    }

    let state = Mutex(State())
    let startedAt = Date()
    let startedClock = ContinuousClock.now
    /// Open connections, read when asked (the server owns the count).
    let connections: @Sendable () -> Int

    init(connections: @escaping @Sendable () -> Int) {
        self.connections = connections
    }

    func update(_ change: (inout State) -> Void) {
        let watchers = state.withLock { state in
            change(&state)
            return Array(state.watchers.values)
        }
        for watcher in watchers { watcher.yield() }
    }

    var plugins: [PluginState] { state.withLock { $0.plugins } }

    /// A stream that ticks whenever the status changes.
    func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            state.nextWatcher += 1
            state.watchers[state.nextWatcher] = continuation
            return state.nextWatcher
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Health of the whole daemon ("") or of the plugin serving a service (or with that id).
    func health(of service: String) -> Grpc_Health_V1_HealthCheckResponse.ServingStatus? {
        state.withLock { state in
            if service.isEmpty { return state.serving ? .serving : .notServing }
            guard let plugin = state.plugins.first(where: { $0.id == service || $0.services.contains(service) }) else { return nil }
            return state.serving && plugin.status == .ok ? .serving : .notServing
        }
    }
}
