import Logging
import ServiceLifecycle
import UnixSignals

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
            for problem in error.all {
                logger.error("reload failed; keeping the running configuration", metadata: ["error": "\(problem)"])
            }
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
        if fresh.groupCommit != old.groupCommit { needRestart.append("database.group_commit") }
        if fresh.disabledPlugins != old.disabledPlugins { needRestart.append("disabled_plugins") }
        if fresh.requiredPlugins != old.requiredPlugins { needRestart.append("required_plugins") }
        if fresh.pluginSections.keys.sorted() != old.pluginSections.keys.sorted() { needRestart.append("plugins") }
        if fresh.anonymousReadPlugins != old.anonymousReadPlugins { needRestart.append("anonymous_read") }
        if fresh.metrics != old.metrics { needRestart.append("metrics") }
        logger.notice("configuration reloaded", metadata: [
            "log_level": "\(fresh.logLevel)", "max_connections": "\(fresh.limits.maxConnections)",
            "max_concurrent_streams": "\(fresh.limits.maxConcurrentStreams)",
        ])
        if !needRestart.isEmpty {
            logger.warning("changed settings take effect only after a restart", metadata: ["keys": "\(needRestart.joined(separator: ","))"])
        }
    }
}
