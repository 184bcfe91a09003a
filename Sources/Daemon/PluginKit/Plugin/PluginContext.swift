public import Logging

/// What a plugin receives when it starts.
public struct PluginContext: Sendable {
    /// The plugin's own config section, validated against nothing by the host: the plugin reads
    /// the keys it knows and rejects the rest.
    public var config: PluginConfig
    /// The daemon's database.
    public var store: Store
    /// A logger labelled with the plugin id.
    public var logger: Logger
    /// Where the plugin adds services that run beside its handlers until the daemon stops.
    public let background: BackgroundServices
    /// Calls other plugins' methods through the call pipeline, as the person a handler serves
    /// (`PluginCalls`).
    public let calls: PluginCalls

    /// Creates a context.
    /// - Parameters:
    ///   - config: The plugin's config section.
    ///   - store: The daemon's database.
    ///   - logger: The plugin's logger.
    ///   - background: Collects the plugin's background services.
    ///   - calls: In-process calls of other plugins' methods; refused when not given.
    public init(config: PluginConfig, store: Store, logger: Logger, background: BackgroundServices = BackgroundServices(),
                calls: PluginCalls = .unavailable) {
        self.config = config
        self.store = store
        self.logger = logger
        self.background = background
        self.calls = calls
    }
}
