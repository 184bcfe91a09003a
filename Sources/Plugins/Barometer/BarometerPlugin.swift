public import COIPluginKit
import COIProto
public import COIRPC

/// The innovation barometer (id "coi.barometer"): a nationwide, representative survey of public
/// workplaces, wave by wave.
///
/// Each wave has a frame (the register of workplaces), a questionnaire, a stratified sample drawn
/// reproducibly from a seed, invitations whose tokens let a workplace answer without an account,
/// and weighted estimates that equal R's survey package. See docs/barometer.md.
public struct BarometerPlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var id: String { "coi.barometer" }
    public var requires: [String] { ["coi.identity"] }
    public var services: [RPCService] {
        [Coi_Barometer_V1_Waves.service, Coi_Barometer_V1_Estimates.service, Coi_Barometer_V1_Respondents.service]
    }

    public var permissions: [PermissionDeclaration] {
        [PermissionDeclaration("barometer.read", "See waves and the estimates that pass disclosure control", grantedTo: ["member"]),
         PermissionDeclaration("barometer.manage", "Run waves: frame, questionnaire, design, sample, imported responses"),
         PermissionDeclaration("barometer.export", "Export the sample (with tokens and contacts), microdata and the codebook")]
    }

    public var roles: [RoleDeclaration] {
        [RoleDeclaration("analyst", "Reads estimates and exports microdata for research", permissions: ["barometer.read", "barometer.export"])]
    }

    public var migrations: [Migration] { [.sql("001_barometer", BarometerSchema.v1)] }

    public func start(context: PluginContext, router: inout Router) async throws {
        let service = BarometerService(store: context.store)
        service.registerWaves(&router)
        service.registerSample(&router)
        service.registerResponses(&router)
        service.registerEstimates(&router)
        service.registerRespondents(&router)
        service.registerExports(&router)
        service.registerContacts(&router)
    }
}
