public import COIPluginKit
public import Logging
public import ServiceLifecycle

/// Starts plugins in dependency order and records how each fared.
public struct PluginHost: Sendable {
    /// Which plugins to skip and which must not fail.
    public struct Policy: Sendable {
        public var disabled: Set<String> = []
        public var required: Set<String> = []
        public init(disabled: Set<String> = [], required: Set<String> = []) {
            self.disabled = disabled
            self.required = required
        }
    }

    /// The outcome of starting the plugins.
    public struct Started: Sendable {
        /// Routes of every plugin that started.
        public var router: Router
        /// The state of every registered plugin, in start order.
        public var states: [HostStatus.PluginState]
        /// The plugins that started, in start order (stopped in reverse).
        public var running: [any Plugin]
        /// The background services the started plugins added.
        public var services: [any Service] = []
    }

    let plugins: [any Plugin]
    let policy: Policy
    let descriptors: DescriptorIndex
    let logger: Logger

    /// Creates a host.
    /// - Parameters:
    ///   - plugins: Every registered plugin.
    ///   - policy: Disabled and required plugins.
    ///   - descriptors: The API's descriptors, to check that routes are declared in protos/.
    ///   - logger: The logger.
    public init(plugins: [any Plugin], policy: Policy, descriptors: DescriptorIndex = .api, logger: Logger) {
        self.plugins = plugins
        self.policy = policy
        self.descriptors = descriptors
        self.logger = logger
    }

    /// Starts every plugin that is not disabled, in dependency order.
    /// - Parameters:
    ///   - store: The database.
    ///   - config: Each plugin's config section, by id.
    /// - Returns: The routes and the state of each plugin.
    /// - Throws: `PluginGraph.Failure` for a cycle, a missing requirement or a bad policy; the error
    ///   of a required plugin that failed.
    ///   - calls: The channel the plugins' `PluginCalls` go through (connected once the pipeline exists).
    public func start(store: Store, config: @Sendable (String) -> PluginConfig,
                      calls: PluginCalls.Channel = PluginCalls.Channel()) async throws -> Started {
        let ordered = try PluginGraph.order(plugins)
        let known = Set(plugins.map(\.id))
        for id in policy.required.sorted() {
            if !known.contains(id) { throw PluginGraph.Failure(description: "required_plugins names \(id), which is not registered") }
            if policy.disabled.contains(id) { throw PluginGraph.Failure(description: "plugin \(id) is both required and disabled") }
        }
        for id in policy.disabled.sorted() where !known.contains(id) {
            logger.warning("disabled_plugins names an unknown plugin", metadata: ["plugin": "\(id)"])
        }
        var started = Started(router: Router(), states: [], running: [])
        var outcome: [String: HostStatus.PluginState.Status] = [:]
        for plugin in ordered {
            var state = HostStatus.PluginState(id: plugin.id, requires: plugin.requires, services: plugin.services.map(\.name),
                                               permissions: plugin.permissions.map(\.name), status: .ok, reason: "", schemaVersion: "")
            defer {
                outcome[plugin.id] = state.status
                started.states.append(state)
            }
            if policy.disabled.contains(plugin.id) {
                state.status = .skipped
                state.reason = "disabled by configuration"
                logger.notice("plugin skipped", metadata: ["plugin": "\(plugin.id)", "reason": "\(state.reason)"])
                continue
            }
            if let blocker = plugin.requires.first(where: { outcome[$0] != .ok }) {
                state.status = .skipped
                state.reason = "requires \(blocker), which is \(outcome[blocker] == .skipped ? "skipped" : "in error")"
                logger.warning("plugin skipped", metadata: ["plugin": "\(plugin.id)", "reason": "\(state.reason)"])
                if policy.required.contains(plugin.id) { throw PluginGraph.Failure(description: "required plugin \(plugin.id) \(state.reason)") }
                continue
            }
            do {
                state.schemaVersion = try await store.migrate(pluginID: plugin.id, migrations: plugin.migrations)
                var router = Router()
                router.descriptors = descriptors.pool
                var pluginLogger = logger
                pluginLogger[metadataKey: "plugin"] = "\(plugin.id)"
                let background = BackgroundServices()
                try await plugin.start(context: PluginContext(config: config(plugin.id), store: store, logger: pluginLogger,
                                                              background: background,
                                                              calls: PluginCalls(pluginID: plugin.id, channel: calls)),
                                   router: &router)
                let problems = router.problems + descriptors.problems(in: router)
                    + router.routes.values.filter { !plugin.services.contains($0.rpc.service) }.map { "\($0.path): service not listed in the plugin's services" }
                    + undeclaredPermissions(plugin, router) + unnamespacedDeclarations(plugin)
                if !problems.isEmpty {
                    throw PluginGraph.Failure(description: problems.joined(separator: "; "))
                }
                started.router.merge(router)
                started.running.append(plugin)
                started.services += background.all
                logger.info("plugin started", metadata: ["plugin": "\(plugin.id)", "methods": "\(router.routes.count)"])
            } catch {
                state.status = .error
                state.reason = "\(error)"
                logger.error("plugin failed to start", metadata: ["plugin": "\(plugin.id)", "error": "\(error)"])
                if policy.required.contains(plugin.id) || error is Store.SupersededSchema { throw error }
            }
        }
        return started
    }

    /// Routes naming a permission that no plugin declares: a typo there would lock everyone but
    /// admins out, so it is a start-up error of the plugin.
    /// Permissions must be "<namespace>.<action>" and roles plain names (the catalog qualifies them
    /// as "<namespace>.<role>"), so declarations of two plugins cannot collide.
    func unnamespacedDeclarations(_ plugin: any Plugin) -> [String] {
        let prefix = plugin.namespace + "."
        return plugin.permissions.filter { !$0.name.hasPrefix(prefix) || $0.name.count == prefix.count }
            .map { "permission \($0.name) must be named \(prefix)<action>" }
            + plugin.roles.filter { $0.name.isEmpty || $0.name.contains(".") || RoleCatalog.builtIn.contains($0.name) }
            .map { "role \"\($0.name)\" must be a plain name other than admin, moderator and member (it is qualified as \(prefix)<role>)" }
    }

    func undeclaredPermissions(_ plugin: any Plugin, _ router: Router) -> [String] {
        let declared = Set(plugins.flatMap { $0.permissions.map(\.name) })
        return router.routes.values.sorted { $0.path < $1.path }.compactMap { route in
            guard let permission = route.access.permission, !declared.contains(permission) else { return nil }
            return "\(route.path): permission \(permission) is not declared by any plugin"
        }
    }
}
