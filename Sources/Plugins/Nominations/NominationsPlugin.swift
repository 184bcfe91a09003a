public import COIPluginKit
import COIProto
public import COIRPC
import Synchronization

/// Denmark's Best Smallest Idea, the copycat prize and idea storms (id "coi.nominations").
///
/// Campaigns with dated phases take nominations of colleagues and teams; screeners check them, the
/// public endorses them, juries score them on a weighted rubric, and the results name one winner per
/// region and a national winner. Idea storms are open calls on a topic with proposals, comments and
/// votes. See docs/nominations.md.
public struct NominationsPlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var id: String { "coi.nominations" }
    public var requires: [String] { ["coi.identity"] }
    public var services: [RPCService] {
        [Coi_Nominations_V1_Campaigns.service, Coi_Nominations_V1_Nominations.service, Coi_Nominations_V1_Jury.service,
         Coi_Nominations_V1_Results.service, Coi_Nominations_V1_IdeaStorms.service]
    }

    public var scopeKinds: [ScopeKind] { [ScopeKind("campaign", table: "nominations_campaigns")] }
    public var permissions: [PermissionDeclaration] {
        [PermissionDeclaration("nominations.read", "See campaigns, public nominations, results and idea storms", grantedTo: ["member"]),
         PermissionDeclaration("nominations.nominate",
                               "Nominate colleagues, consent, endorse, report; propose, comment and vote in idea storms",
                               grantedTo: ["member"]),
         PermissionDeclaration("nominations.screen", "Screen nominations: eligible, ineligible, shortlisted; see them all"),
         PermissionDeclaration("nominations.moderate", "Restore nominations hidden by reports; see hidden ones", grantedTo: ["moderator"]),
         PermissionDeclaration("nominations.score", "Score nominations as a juror (bind the role in scope campaign:<id>)"),
         PermissionDeclaration("nominations.manage", "Run campaigns and idea storms: phases, jurors, results, assessments"),
         PermissionDeclaration("nominations.export", "Export nominations, scores and results as CSV")]
    }

    public var roles: [RoleDeclaration] {
        [RoleDeclaration("juror", "Scores nominations in a campaign (bind with --scope campaign:<id>)", permissions: ["nominations.score"]),
         RoleDeclaration("screener", "Screens the nominations of a campaign", permissions: ["nominations.screen"])]
    }

    public var defaultConfig: String { NominationsSettings.defaultConfig }

    public var migrations: [Migration] { [.sql("001_nominations", NominationsSchema.v1), .sql("002_authorship", NominationsSchema.v2),
                                              .sql("003_report_history", NominationsSchema.v3)] }

    public func start(context: PluginContext, router: inout Router) async throws {
        let settings = try NominationsSettings(context.config)
        let service = NominationsService(store: context.store, settings: settings)
        service.registerCampaigns(&router)
        service.registerNominations(&router)
        service.registerModeration(&router)
        service.registerJury(&router)
        service.registerResults(&router)
        service.registerStorms(&router)
        service.registerExports(&router)
        context.background.add(PhaseAnnouncer(service: service, logger: context.logger))
    }
}
