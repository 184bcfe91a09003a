import ServiceLifecycle

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
