public import COIRPC

/// A programme of the centre served by the daemon (wiki, nominations, …), compiled in and
/// registered statically.
///
/// The host reads the declaration (id, requires, services, permissions, default config,
/// migrations), starts plugins in dependency order, applies each one's migrations, then calls
/// `start`, where the plugin registers its handlers on the router.
public protocol Plugin: Sendable {
    /// Unique id, e.g. "coi.wiki". Also the config section `[plugins."coi.wiki"]`.
    var id: String { get }
    /// Ids of plugins that must be running before this one starts.
    var requires: [String] { get }
    /// Fully-qualified protobuf services the plugin serves; each must be declared under protos/.
    var services: [RPCService] { get }
    /// Permissions the plugin declares, e.g. "wiki.edit", and the built-in roles that hold them.
    /// Every permission a route of the plugin names must be declared here.
    var permissions: [PermissionDeclaration] { get }
    /// Roles the plugin adds beside the built-in admin, moderator and member (e.g. "juror").
    var roles: [RoleDeclaration] { get }
    /// Kinds of records its roles may be scoped to ("campaign"), so a binding names a real one.
    var scopeKinds: [ScopeKind] { get }
    /// The plugin's config section as commented TOML (without the header), for `coid config default`.
    var defaultConfig: String { get }
    /// Schema migrations for the plugin's own tables, applied in order and recorded.
    var migrations: [Migration] { get }
    /// The serialized `google.protobuf.FileDescriptorSet` of protos the plugin brings itself, for a
    /// plugin whose .proto files are not under protos/ (a test-only or out-of-tree plugin): the host
    /// checks its routes, screens its requests and serves Reflection from these files. Empty for the
    /// built-in plugins, whose files are in the compiled-in set.
    var descriptorSet: [UInt8] { get }

    /// Starts the plugin: read config, prepare state, register handlers.
    /// - Parameters:
    ///   - context: Config, store, logger and reference data.
    ///   - router: Where handlers are registered.
    /// - Throws: Any error; the plugin is then reported as `error` with the error as reason.
    func start(context: PluginContext, router: inout Router) async throws

    /// Stops the plugin after the server has stopped serving.
    func stop() async
}

extension Plugin {
    /// The prefix of the plugin's permissions and roles: the last component of its id
    /// ("coi.wiki" → "wiki"), so that two plugins can never declare the same name.
    public var namespace: String { id.split(separator: ".").last.map(String.init) ?? id }

    public var requires: [String] { [] }
    public var permissions: [PermissionDeclaration] { [] }
    public var roles: [RoleDeclaration] { [] }
    public var scopeKinds: [ScopeKind] { [] }
    public var defaultConfig: String { "" }
    public var migrations: [Migration] { [] }
    public var descriptorSet: [UInt8] { [] }
    public func stop() async {}
}
