import COIHostTesting
import COIPluginKit
import COIProto
import COIWire
import Foundation
import Testing
@testable import COINominations

/// Results/Publish through the plugin's call pipeline: winners need consent and `min_sheets` sheets.
@Suite struct PublishGuardTests {
    /// A campaign in JURY with one shortlisted nomination in Nordjylland, scored by one juror.
    func campaignWithOneSheet(_ bench: PluginTestHost, consent: Bool) async throws -> (campaign: String, nomination: String) {
        let campaign = try await bench.call(Coi_Nominations_V1_Campaigns.Method.create, .with {
            $0.kind = .ideaAward
            $0.year = 2026
            $0.title = "Én juror"
        }).id
        func phase(_ phase: Coi_Nominations_V1_Phase) async throws {
            _ = try await bench.call(Coi_Nominations_V1_Campaigns.Method.setPhase, .with {
                $0.id = campaign
                $0.phase = phase
            })
        }
        try await phase(.nominationsOpen)
        let nominator = try await bench.person("Nina Nord")
        let nomination = try await bench.call(Coi_Nominations_V1_Nominations.Method.submit, .with {
            $0.campaignID = campaign
            $0.nominees = [.with { $0.name = "Søren Sø" }]
            $0.workplace = "Aalborg Bibliotek"
            $0.municipalityCode = 851
            $0.title = "Lån en cykel"
            $0.idea = "Cykler til lån."
            $0.difference = "Færre biler."
        }, token: nominator.token).id
        if consent { _ = try await bench.call(Coi_Nominations_V1_Nominations.Method.consent, .with { $0.nominationID = nomination }) }
        try await phase(.screening)
        for decision in [Coi_Nominations_V1_ScreeningDecision.markEligible, .shortlist] {
            _ = try await bench.call(Coi_Nominations_V1_Nominations.Method.screen, .with {
                $0.campaignID = campaign
                $0.nominationIds = [nomination]
                $0.decision = decision
            })
        }
        let juror = try await bench.person("Jonna Jury")
        _ = try await bench.call(Coi_Identity_V1_Roles.Method.bind, .with {
            $0.accountID = juror.id
            $0.role = "nominations.juror"
            $0.scope = "campaign:\(campaign)"
        })
        _ = try await bench.call(Coi_Nominations_V1_Jury.Method.addJuror, .with {
            $0.campaignID = campaign
            $0.accountID = juror.id
        })
        try await phase(.jury)
        _ = try await bench.call(Coi_Nominations_V1_Jury.Method.score, .with {
            $0.campaignID = campaign
            $0.sheets = [.with {
                $0.nominationID = nomination
                $0.scores = [4, 4, 4, 4]
            }]
        }, token: juror.token)
        return (campaign, nomination)
    }

    @Test func oneSheetAndNoConsentBlockPublication() async throws {
        let bench = try await PluginTestHost(plugins: [NominationsPlugin()])
        let (campaign, nomination) = try await campaignWithOneSheet(bench, consent: false)
        let preview = try await bench.call(Coi_Nominations_V1_Results.Method.compute, .with { $0.campaignID = campaign })
        #expect(preview.minSheets == 2 && preview.nationalWinnerID == nomination)
        #expect(preview.warnings.map(\.problem) == [.missingConsent, .tooFewSheets] && preview.warnings.allSatisfy { $0.nominationID == nomination })
        let refused = await rpcError { _ = try await bench.call(Coi_Nominations_V1_Results.Method.publish, .with { $0.campaignID = campaign }) }
        #expect(refused?.code == .failedPrecondition && refused?.reason == "WINNERS_NOT_READY")
        #expect(refused?.message.contains("lacks the consent of nominee 0") == true && refused?.message.contains("min_sheets is 2") == true)
    }

    @Test func minSheetsComesFromTheConfig() async throws {
        var section = TOMLTable()
        section["min_sheets"] = .integer(1)
        let bench = try await PluginTestHost(plugins: [NominationsPlugin()], config: ["coi.nominations": section])
        let (campaign, nomination) = try await campaignWithOneSheet(bench, consent: true)
        let preview = try await bench.call(Coi_Nominations_V1_Results.Method.compute, .with { $0.campaignID = campaign })
        #expect(preview.minSheets == 1 && preview.warnings.isEmpty)
        let published = try await bench.call(Coi_Nominations_V1_Results.Method.publish, .with { $0.campaignID = campaign })
        #expect(published.published && published.nationalWinnerID == nomination)
    }

    @Test func minSheetsMustBeInRange() throws {
        var section = TOMLTable()
        section["min_sheets"] = .integer(0)
        #expect(throws: (any Error).self) { try NominationsSettings(PluginConfig(table: section, file: nil)) }
    }
}
