public import COIPluginKit
import COIProto
public import COIRPC

/// The politician network (id "coi.network").
///
/// COI facilitates a network across parties and sectors where politicians discuss how they can
/// support a more innovative public sector; it runs only with broad enough support from members of
/// municipal councils, regional councils and the Folketing. The plugin keeps the members, measures
/// that breadth against launch criteria, runs the meetings and collects the network's output: the
/// essential tasks, published once members of enough parties endorse them. See docs/network.md.
public struct NetworkPlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var id: String { "coi.network" }
    public var requires: [String] { ["coi.identity"] }
    public var services: [RPCService] {
        [Coi_Network_V1_Parties.service, Coi_Network_V1_Members.service, Coi_Network_V1_Network.service,
         Coi_Network_V1_Meetings.service, Coi_Network_V1_Tasks.service]
    }

    public var permissions: [PermissionDeclaration] {
        [PermissionDeclaration("network.read", "See parties, consenting members, breadth of support, meetings, essential tasks and the feed",
                               grantedTo: ["member"]),
         PermissionDeclaration("network.participate",
                               "As a network member: accept an invitation, consent, register for meetings, draft, comment and endorse tasks",
                               grantedTo: ["member"]),
         PermissionDeclaration("network.manage", "Run the network: parties, invitations, imports, members, meetings, attendance"),
         PermissionDeclaration("network.export", "Export every member with every column (the public export needs network.read)")]
    }

    public var roles: [RoleDeclaration] {
        [RoleDeclaration("coordinator", "Runs the politician network for COI", permissions: ["network.manage", "network.export"])]
    }

    public var defaultConfig: String { NetworkSettings.defaultConfig }

    public var migrations: [Migration] {
        [.sql("001_network", NetworkSchema.v1), Migration("002_network_parties") { db in try PartySeed.apply(db) }]
    }

    public func start(context: PluginContext, router: inout Router) async throws {
        let service = NetworkService(store: context.store, settings: try NetworkSettings(context.config))
        service.registerParties(&router)
        service.registerMembers(&router)
        service.registerImport(&router)
        service.registerBreadth(&router)
        service.registerExports(&router)
        service.registerMeetings(&router)
        service.registerTasks(&router)
    }
}
