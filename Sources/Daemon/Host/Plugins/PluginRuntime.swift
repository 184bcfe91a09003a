import COIPluginKit
import Crypto
import Logging

/// Core, identity and the given plugins started on one store: what the daemon and the in-process
/// host both run, so tests exercise the same assembly as production.
struct PluginRuntime: Sendable {
    let core: CorePlugin
    let identity: Identity
    let started: PluginHost.Started
    let metrics: DaemonMetrics

    /// The steps around every handler, outermost first: metrics (so refusals are counted and the
    /// whole call is timed), then identity's (audit, authentication, rate limit, authorisation).
    var interceptors: [any ServerInterceptor] {
        [MetricsInterceptor(metrics: metrics.calls)] + identity.interceptors
    }

    /// Starts everything in dependency order.
    /// - Parameters:
    ///   - store: The database.
    ///   - plugins: The programme plugins (core and identity are added here).
    ///   - status: The status the core plugin reports.
    ///   - metrics: The metrics Metrics/Get reports and the call pipeline records into.
    ///   - settings: The identity settings.
    ///   - anonymousReadPlugins: Ids of plugins whose reads need no identity.
    ///   - disabled: Ids of plugins not to start.
    ///   - required: Ids of plugins whose failure stops start-up (core and identity always are).
    ///   - clock: "Now" for identity.
    ///   - auditKey: The audit chain's key; a fresh random one when not given (tests).
    ///   - config: Each plugin's config section.
    ///   - logger: The root logger.
    static func start(store: Store, plugins: [any Plugin], status: HostStatus, metrics: DaemonMetrics, settings: IdentitySettings,
                      anonymousReadPlugins: Set<String>, disabled: Set<String> = [], required: Set<String> = [],
                      clock: any WallClock = SystemWallClock(), auditKey: SymmetricKey = SymmetricKey(size: .bits256),
                      config: @escaping @Sendable (String) -> PluginConfig, logger: Logger) async throws -> PluginRuntime {
        let descriptors = try DescriptorIndex.api.adding(descriptorsOf: plugins)
        let core = CorePlugin(status: status, descriptors: descriptors, version: Daemon.version, auditKey: auditKey, metrics: metrics)
        let anonymous = Set(plugins.filter { anonymousReadPlugins.contains($0.id) }.flatMap(\.services).map(\.name))
        let identity = Identity(store: store, plugins: [core, IdentityPlugin.declarations] + plugins, settings: settings,
                                anonymousReadServices: anonymous, clock: clock, auditKey: auditKey)
        let host = PluginHost(plugins: [core, IdentityPlugin(identity: identity)] + plugins,
                              policy: .init(disabled: disabled, required: required.union(["coi.core", "coi.identity"])),
                              descriptors: descriptors, logger: logger)
        let calls = PluginCalls.Channel()
        let started = try await host.start(store: store, config: config, calls: calls)
        identity.adopt(running: started.running)
        let runtime = PluginRuntime(core: core, identity: identity, started: started, metrics: metrics)
        // Plugins' in-process calls run through the same routes and interceptors as the socket's.
        let executor = CallExecutor(router: started.router, interceptors: runtime.interceptors)
        calls.connect { call in try await executor.runInner(call, logger: logger) }
        return runtime
    }
}
