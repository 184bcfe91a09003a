public import COIPluginKit
import Foundation
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
        let store = try Store(path: config.databasePath, synchronous: config.synchronous,
                              busyTimeoutMilliseconds: config.busyTimeoutMilliseconds)
        PrivateFiles.restrict(database: config.databasePath, logger: logger)
        let auditKey = try AuditKey.load(stateDirectory: config.stateDirectory, environment: ProcessInfo.processInfo.environment)
        logger.info(auditKey.created ? "audit key created" : "audit key loaded", metadata: ["path": "\(auditKey.path)"])
        let settings = LiveSettings(limits: config.limits)
        let connections = ConnectionCounter()
        let status = HostStatus(connections: { connections.value() })
        let core = CorePlugin(status: status, descriptors: .api, version: Self.version)
        let identity = Identity(store: store, plugins: [core, IdentityPlugin.declarations] + plugins, settings: config.identity,
                                anonymousReadServices: Set(plugins.filter { self.config.anonymousReadPlugins.contains($0.id) }.flatMap(\.services).map(\.name)),
                                auditKey: auditKey.key)
        let host = PluginHost(plugins: [core, IdentityPlugin(identity: identity)] + plugins,
                              policy: .init(disabled: Set(config.disabledPlugins),
                                            required: Set(config.requiredPlugins + ["coi.core", "coi.identity"])),
                              logger: logger)
        let config = self.config
        let started = try await host.start(store: store, config: { config.pluginConfig($0) })
        identity.adopt(running: started.running)

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
        let server = Server(addresses: addresses, router: started.router, identity: identity, settings: settings, logger: logger,
            onListening: { bound in
                status.update {
                    $0.serving = true
                    $0.listeners = bound.map(\.description)
                }
                notifier.notify("READY=1\nSTATUS=serving: \(okCount) of \(started.states.count) plugins ok\nMAINPID=\(getpid())")
                logger.notice("coid ready", metadata: ["listeners": "\(bound.map(\.description).joined(separator: ","))",
                                                       "plugins_ok": "\(okCount)", "plugins": "\(started.states.count)"])
            },
            onStopping: {
                notifier.notify("STOPPING=1\nSTATUS=stopping: draining in-flight calls")
                status.update { $0.serving = false }
                status.finishWatchers()
            })
        connections.source = { server.openConnections }

        let interval = config.identity.auditAnchorIntervalSeconds
        let anchors = AuditAnchorService(audit: identity.audit, interval: interval > 0 ? .seconds(interval) : nil, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: server),
                .init(service: WatchdogService(notifier: notifier)),
                .init(service: ReloadService(daemon: self, settings: settings, identity: identity)),
                .init(service: anchors),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()

        for plugin in started.running.reversed() { await plugin.stop() }
        await anchors.log(when: "stop")
        try store.pool.close()
        logger.notice("coid stopped")
    }
}

/// Lets the status report read the server's connection count, which exists only after the status.
final class ConnectionCounter: @unchecked Sendable {
    // Written once before serving starts, then only read.
    var source: @Sendable () -> Int = { 0 }
    func value() -> Int { source() }
}

/// Sends WATCHDOG=1 at half the interval systemd asks for; idle otherwise.
struct WatchdogService: Service {
    let notifier: SystemdNotifier
    func run() async throws {
        guard let interval = notifier.watchdogInterval else {
            try? await gracefulShutdown()
            return
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            notifier.notify("WATCHDOG=1")
            try? await Task.sleep(for: interval)
        }
    }
}

/// Re-reads the config file on SIGHUP and applies what can change while running.
struct ReloadService: Service {
    let daemon: Daemon
    let settings: LiveSettings
    let identity: Identity

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await withGracefulShutdownHandler {
            for await _ in signals.cancelOnGracefulShutdown() {
                reload()
            }
        } onGracefulShutdown: {}
    }

    func reload() {
        let logger = daemon.logger
        daemon.notifier.notify("RELOADING=1\nSTATUS=reloading configuration")
        defer { daemon.notifier.notify("READY=1\nSTATUS=serving") }
        let fresh: DaemonConfig
        do {
            fresh = try DaemonConfig.load(overrides: daemon.overrides)
        } catch {
            logger.error("reload failed; keeping the running configuration", metadata: ["error": "\(error)"])
            return
        }
        JournalLogHandler.level.withLock { $0 = fresh.logLevel }
        settings.limits = fresh.limits
        identity.reconfigure(fresh.identity)
        let old = daemon.config
        var needRestart: [String] = []
        if fresh.stateDirectory != old.stateDirectory { needRestart.append("state_dir") }
        if fresh.socketPath != old.socketPath { needRestart.append("server.socket") }
        if fresh.socketMode != old.socketMode { needRestart.append("server.socket_mode") }
        if fresh.socketGroup != old.socketGroup { needRestart.append("server.socket_group") }
        if fresh.tlsListener != old.tlsListener { needRestart.append("server.tls") }
        if fresh.databasePath != old.databasePath { needRestart.append("database.path") }
        if fresh.synchronous != old.synchronous { needRestart.append("database.synchronous") }
        if fresh.busyTimeoutMilliseconds != old.busyTimeoutMilliseconds { needRestart.append("database.busy_timeout_ms") }
        if fresh.disabledPlugins != old.disabledPlugins { needRestart.append("disabled_plugins") }
        if fresh.requiredPlugins != old.requiredPlugins { needRestart.append("required_plugins") }
        if fresh.pluginSections.keys.sorted() != old.pluginSections.keys.sorted() { needRestart.append("plugins") }
        if fresh.anonymousReadPlugins != old.anonymousReadPlugins { needRestart.append("anonymous_read") }
        logger.notice("configuration reloaded", metadata: [
            "log_level": "\(fresh.logLevel)", "max_connections": "\(fresh.limits.maxConnections)",
            "max_concurrent_streams": "\(fresh.limits.maxConcurrentStreams)",
        ])
        if !needRestart.isEmpty {
            logger.warning("changed settings take effect only after a restart", metadata: ["keys": "\(needRestart.joined(separator: ","))"])
        }
    }
}
