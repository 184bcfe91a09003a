public import COIPluginKit
import Foundation
import GRDB
public import Logging
import ServiceLifecycle
import UnixSignals

/// The whole daemon: opens the store, starts the plugins, serves the socket API until SIGTERM or
/// SIGINT, then drains and closes everything in order.
public struct Daemon: Sendable {
    /// The version reported by `coid version` and Introspection/Server.
    public static let version = "0.1.0"

    let config: DaemonConfig
    let overrides: DaemonConfig.Overrides
    let plugins: [any Plugin]
    let logger: Logger
    let notifier = SystemdNotifier()

    /// Creates the daemon.
    /// - Parameters:
    ///   - config: The loaded configuration.
    ///   - overrides: The command-line values, re-applied on SIGHUP reloads.
    ///   - plugins: The plugins to host (the core services are added by the daemon).
    ///   - logger: The root logger.
    public init(config: DaemonConfig, overrides: DaemonConfig.Overrides, plugins: [any Plugin], logger: Logger) {
        self.config = config
        self.overrides = overrides
        self.plugins = plugins
        self.logger = logger
    }

    /// Runs until shut down.
    /// - Throws: Start-up failures (bad state directory, database from a newer version, a required
    ///   plugin failing, a socket already in use).
    public func run() async throws {
        // Before any file or socket exists: whoever starts coid (root by hand, a shell with umask
        // 022), the database, its WAL and SHM, the audit key and the socket are never readable by
        // other local users. The socket then gets its configured mode (0660) explicitly.
        umask(0o077)
        notifier.notify("STATUS=starting")
        logger.info("coid starting", metadata: [
            "version": "\(Self.version)", "pid": "\(getpid())",
            "config": "\(config.file ?? "(defaults)")", "state_dir": "\(config.stateDirectory)",
        ])
        try FileManager.default.createDirectory(atPath: config.stateDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o750])
        // Held until the process exits: `coid restore` refuses to replace a database in use.
        let lock = try DatabaseLock(database: config.databasePath)
        let connections = ConnectionCounter()
        let status = HostStatus(connections: { connections.value() })
        let metrics = DaemonMetrics(status: status, version: Self.version)
        let store = try Store(path: config.databasePath, synchronous: config.synchronous,
                              busyTimeoutMilliseconds: config.busyTimeoutMilliseconds, metrics: metrics.factory,
                              groupCommit: config.groupCommit)
        PrivateFiles.restrict(database: config.databasePath, logger: logger)
        let auditKey = try AuditKey.load(stateDirectory: config.stateDirectory, environment: ProcessInfo.processInfo.environment)
        logger.info(auditKey.created ? "audit key created" : "audit key loaded", metadata: ["path": "\(auditKey.path)"])
        let settings = LiveSettings(limits: config.limits)
        let config = self.config
        let runtime = try await PluginRuntime.start(
            store: store, plugins: plugins, status: status, metrics: metrics, settings: config.identity,
            anonymousReadPlugins: Set(config.anonymousReadPlugins), disabled: Set(config.disabledPlugins),
            required: Set(config.requiredPlugins), auditKey: auditKey.key, config: { config.pluginConfig($0) }, logger: logger)
        let identity = runtime.identity
        let started = runtime.started

        let inherited = SocketActivation.inheritedListeners()
        var addresses = inherited.isEmpty
            ? [ListenAddress.unix(path: config.socketPath, mode: config.socketMode, group: config.socketGroup)]
            : inherited
        if let tls = config.tlsListener { addresses.append(tls) }
        let notifier = self.notifier
        let logger = self.logger
        let okCount = started.states.filter { $0.status == .ok }.count
        status.update {
            $0.plugins = started.states
            $0.listeners = addresses.map(\.description)
            $0.databasePath = config.databasePath
            $0.stateDirectory = config.stateDirectory
            $0.configFile = config.file ?? ""
            $0.sqliteVersion = store.sqliteVersion
        }
        let server = Server(addresses: addresses, router: started.router, interceptors: runtime.interceptors, settings: settings, logger: logger,
            onListening: { bound in
                status.update {
                    $0.serving = true
                    $0.listeners = bound.map(\.description) + $0.listeners.filter { $0.hasPrefix("http:") }
                }
                notifier.notify("READY=1\nSTATUS=serving: \(okCount) of \(started.states.count) plugins ok\nMAINPID=\(getpid())")
                logger.notice("coid ready", metadata: ["listeners": "\(bound.map(\.description).joined(separator: ","))",
                                                       "plugins_ok": "\(okCount)", "plugins": "\(started.states.count)"])
            },
            onStopping: {
                notifier.notify("STOPPING=1\nSTATUS=stopping: draining in-flight calls")
                // Health/Watch streams see NOT_SERVING; the server then ends them, like every
                // long-lived stream, with UNAVAILABLE.
                status.update { $0.serving = false }
            })
        connections.source = { server.openConnections }

        let metricsEndpoints = try await metricsServices(metrics, status: status)
        let interval = config.identity.auditAnchorIntervalSeconds
        let anchors = AuditAnchorService(audit: identity.audit, interval: interval > 0 ? .seconds(interval) : nil, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: server),
                .init(service: WatchdogService(notifier: notifier)),
                .init(service: ReloadService(daemon: self, settings: settings, identity: identity)),
                .init(service: anchors),
            ] + metricsEndpoints + started.services.map {
                // A plugin's background work ending or failing is logged by the group; it does not stop the daemon.
                .init(service: $0, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore)
            },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()

        for plugin in started.running.reversed() { await plugin.stop() }
        await anchors.log(when: "stop")
        // Everything into coid.db itself and the WAL emptied: after a clean stop, copying coid.db
        // alone is a complete copy (closing the last connection checkpoints only when it can).
        do {
            let busy = try await store.pool.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") ?? 0
            }
            if busy != 0 { logger.warning("WAL checkpoint at stop could not finish: a reader was still open") }
        } catch {
            logger.warning("WAL checkpoint at stop failed: \(error)")
        }
        try store.pool.close()
        withExtendedLifetime(lock) {}
        logger.notice("coid stopped")
    }
}

extension Daemon {
    /// The `[metrics]` listener (bound now) and textfile writer, when configured. A port that
    /// cannot be bound stops start-up, as the socket's would: a configured endpoint that is silently
    /// missing looks to Prometheus like a daemon that is down.
    func metricsServices(_ metrics: DaemonMetrics, status: HostStatus) async throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let listen = config.metrics.listen {
            let server = try await MetricsHTTPServer.bind(host: listen.host, port: listen.port, metrics: metrics, logger: logger)
            status.update { $0.listeners.append(server.url) }
            services.append(.init(service: server))
        }
        if let path = config.metrics.textfile {
            services.append(.init(service: MetricsTextfile(path: path, interval: config.metrics.textfileInterval, metrics: metrics, logger: logger),
                                  successTerminationBehavior: .ignore))
        }
        return services
    }
}

/// Lets the status report read the server's connection count, which exists only after the status.
final class ConnectionCounter: @unchecked Sendable {
    // Written once before serving starts, then only read.
    var source: @Sendable () -> Int = { 0 }
    func value() -> Int { source() }
}
