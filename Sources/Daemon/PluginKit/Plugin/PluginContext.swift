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

    /// Creates a context.
    /// - Parameters:
    ///   - config: The plugin's config section.
    ///   - store: The daemon's database.
    ///   - logger: The plugin's logger.
    public init(config: PluginConfig, store: Store, logger: Logger) {
        self.config = config
        self.store = store
        self.logger = logger
    }
}
