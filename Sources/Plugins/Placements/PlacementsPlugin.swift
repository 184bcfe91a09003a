public import COIPluginKit
import COIProto
public import COIRPC

/// Innovation placements, "Innovationspraktik" (id "coi.placements").
///
/// An employee or manager from one public workplace spends a few days at another, around one
/// placement week a year. Hosts offer places (1–3 each), seekers rank offers once their home
/// manager has approved, hosts rank their applicants, and a seeker-proposing deferred-acceptance
/// matching places them stably. Admins import and export whole seasons as CSV. See
/// docs/placements.md.
public struct PlacementsPlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var id: String { "coi.placements" }
    public var requires: [String] { ["coi.identity"] }
    public var services: [RPCService] {
        [Coi_Placements_V1_Seasons.service, Coi_Placements_V1_Offers.service, Coi_Placements_V1_Seekers.service,
         Coi_Placements_V1_Matching.service, Coi_Placements_V1_Exchanges.service, Coi_Placements_V1_Agreements.service]
    }

    public var scopeKinds: [ScopeKind] { [ScopeKind("season", table: "placements_seasons")] }
    public var permissions: [PermissionDeclaration] {
        [PermissionDeclaration("placements.read", "See seasons and published offers", grantedTo: ["member"]),
         PermissionDeclaration("placements.apply",
                               "Register as a seeker, rank offers, book free places, answer approvals as a named manager",
                               grantedTo: ["member"]),
         PermissionDeclaration("placements.host", "Offer placements as a host contact and rank the applicants", grantedTo: ["member"]),
         PermissionDeclaration("placements.manage", "Run seasons: phases, review of offers, import, matching, adjustments"),
         PermissionDeclaration("placements.export", "Export seasons as CSV and see reports")]
    }

    public var roles: [RoleDeclaration] {
        [RoleDeclaration("coordinator", "Runs placement seasons", permissions: ["placements.manage", "placements.export"])]
    }

    public var migrations: [Migration] { [.sql("001_placements", PlacementsSchema.v1), .sql("002_exchanges_agreements", PlacementsSchema.v2),
                                            .sql("003_matching_indexes", PlacementsSchema.v3)] }

    public func start(context: PluginContext, router: inout Router) async throws {
        let service = PlacementsService(store: context.store, calls: context.calls)
        service.registerSeasons(&router)
        service.registerOffers(&router)
        service.registerSeekers(&router)
        service.registerMatching(&router)
        service.registerImport(&router)
        service.registerExports(&router)
        service.registerExchanges(&router)
        service.registerAgreements(&router)
        service.registerComparison(&router)
    }
}
