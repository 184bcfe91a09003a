import COIBuiltInPlugins
import COIPluginKit
import COIProto
import COIWire
import Testing
@testable import COIHost

/// What `anonymous_read = true` opens in a plugin: the reads every member may make, to callers with
/// no identity; not the reads that need more, nor those that disclose personal data.
@Suite struct AnonymousReadTests {
    /// `anonymous_read` opens a plugin's reads to anyone, but not the reads that disclose
    /// personal data: those still need an identity (and so never let anyone write to the log).
    @Test func anonymousReadDoesNotOpenAuditedReads() async throws {
        let host = try await InProcessHost.start(plugins: BuiltInPlugins.all, directory: nil, pluginConfig: [:],
                                                 anonymousReadPlugins: ["coi.barometer"], clock: SystemWallClock(), settings: IdentitySettings())
        _ = try await host.call(Coi_Barometer_V1_Waves.Method.list, Coi_Barometer_V1_ListWavesRequest(), as: .unix(uid: 65534, gid: 65534))
        let contact = await #expect(throws: RPCError.self) {
            _ = try await host.call(Coi_Barometer_V1_Waves.Method.exportContact, Coi_Barometer_V1_ContactRequest.with { $0.email = "a@b.dk" },
                                    as: .unix(uid: 65534, gid: 65534))
        }
        #expect(contact?.code == .unauthenticated)
    }

    /// `anonymous_read` gives anyone what every member may read, and nothing a member may not:
    /// a campaign website may list campaigns, but not the jurors (nominations.manage).
    @Test func anonymousReadOpensOnlyWhatEveryMemberMayRead() async throws {
        let host = try await InProcessHost.start(plugins: BuiltInPlugins.all, directory: nil, pluginConfig: [:],
                                                 anonymousReadPlugins: ["coi.nominations"], clock: SystemWallClock(), settings: IdentitySettings())
        let nobody = InProcessHost.Caller.unix(uid: 65534, gid: 65534)
        _ = try await host.call(Coi_Nominations_V1_Campaigns.Method.list, Coi_Nominations_V1_ListCampaignsRequest(), as: nobody)
        let jurors = await #expect(throws: RPCError.self) {
            _ = try await host.call(Coi_Nominations_V1_Jury.Method.listJurors, Coi_Nominations_V1_ListJurorsRequest.with { $0.campaignID = "cmp_x" },
                                    as: nobody)
        }
        #expect(jurors?.code == .unauthenticated, "\(String(describing: jurors))")
    }
}
