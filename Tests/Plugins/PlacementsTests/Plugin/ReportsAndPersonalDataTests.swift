import COIHostTesting
import COIProto
import Foundation
import Testing
@testable import COIPlacements

@Suite struct ReportsAndPersonalDataTests {
    @Test func reportCountsFillRatesAndFlows() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        try await fixture.importFiles(season.id, ImportCSV())
        _ = try await fixture.call(Coi_Placements_V1_Matching.Method.match, .with { $0.seasonID = season.id })
        let report = try await fixture.call(Coi_Placements_V1_Seasons.Method.report, .with { $0.seasonID = season.id })
        #expect(report.seekers == 5 && report.approved == 4 && report.placed == 3 && report.unplaced == 2)
        #expect(report.offers == 3 && report.places == 4)
        let hovedstaden = report.byRegion.first { $0.key == "hovedstaden" }
        #expect(hovedstaden?.offers == 3 && hovedstaden?.placed == 3)
        // S1 (municipal, Aarhus) and S3 (regional) to O2 (regional), S2 (municipal) to O1 (municipal).
        let levels = Dictionary(uniqueKeysWithValues: report.levelFlows.map { ("\($0.from)→\($0.to)", $0.placements) })
        #expect(levels == ["municipal→municipal": 1, "municipal→regional": 1, "regional→regional": 1])
    }

    @Test func feedTellsWhatHappenedButNotWho() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        try await fixture.importFiles(season.id, ImportCSV())
        _ = try await fixture.call(Coi_Placements_V1_Matching.Method.match, .with { $0.seasonID = season.id })
        let events = try await fixture.bench.stream(Coi_Placements_V1_Seasons.Method.feed, Coi_Placements_V1_FeedRequest.with {
            $0.seasonID = season.id
        })
        #expect(events.map(\.kind) == ["season.created", "season.imported", "matching.done"])
        #expect(events.last?.detail == "3 of 5 placed")
        #expect(!events.contains { $0.detail.contains("Søren") })
    }

    @Test func personalDataIsExportedAndErased() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        _ = try await fixture.call(Coi_Placements_V1_Seasons.Method.setPhase, .with {
            $0.id = season.id
            $0.phase = .applicationsOpen
        })
        let seeker = try await fixture.person("Søren Ærø")
        let manager = try await fixture.person("Mette Leder")
        let registered = try await fixture.call(Coi_Placements_V1_Seekers.Method.register, .with {
            $0.seasonID = season.id
            $0.homeWorkplace = "Aarhus Kommune"
            $0.level = .municipal
            $0.municipalityCode = 751
            $0.managerID = manager.id
            $0.learningGoals = "Lære om tillidsreform"
        }, token: seeker.token)
        let export = try await fixture.call(Coi_Identity_V1_Accounts.Method.export, .with { $0.id = seeker.id })
        #expect(export.json.contains("Lære om tillidsreform") && export.json.contains(registered.id))
        _ = try await fixture.call(Coi_Identity_V1_Accounts.Method.erase, .with {
            $0.id = seeker.id
            $0.reason = "asked"
        })
        let after = try await fixture.call(Coi_Placements_V1_Seekers.Method.get, .with { $0.id = registered.id })
        #expect(after.learningGoals.isEmpty && after.name.hasPrefix("former contributor"))
    }
}
