import COIHostTesting
import COIProto
import Foundation
import Testing
@testable import COIPlacements

@Suite struct ImportAndMatchTests {
    @Test func importedSeasonMatchesAsTheEngineDoes() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        let imported = try await fixture.importFiles(season.id, ImportCSV())
        #expect(imported.offers == 3 && imported.seekers == 5 && imported.preferences == 8 && imported.hostRankings == 7)
        // Five seekers and five managers, three host contacts: all new.
        #expect(imported.accountsCreated == 13)

        let reply = try await fixture.call(Coi_Placements_V1_Matching.Method.match, .with { $0.seasonID = season.id })
        #expect(reply.stable)
        let placed = Dictionary(uniqueKeysWithValues: reply.placements.map { ($0.seekerRef, $0.offerRef) })
        // O1 (1 place) takes its favourite S2; S1 and S3 go to O2 (2 places); S4 has no approval;
        // S5 chose only O3, which did not rank them.
        #expect(placed == ["S1": "O2", "S2": "O1", "S3": "O2"])
        let reasons = Dictionary(uniqueKeysWithValues: reply.unplaced.map { ($0.seekerRef, $0.reason) })
        #expect(reasons == ["S4": .noApproval, "S5": .noAcceptableOffer])
        let after = try await fixture.call(Coi_Placements_V1_Seasons.Method.get, .with { $0.id = season.id })
        #expect(after.phase == .matched)

        let rows = try await fixture.exportMatches(season.id)
        let exported = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[3]) })
        #expect(exported == ["S1": "O2", "S2": "O1", "S3": "O2", "S4": "", "S5": ""])
        #expect(rows.first { $0[0] == "S4" }?[9] == "no_approval")
        #expect(rows.first { $0[0] == "S1" }?[2] == "Søren Ærø")
    }

    @Test func dryRunStoresNothing() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        try await fixture.importFiles(season.id, ImportCSV())
        let dry = try await fixture.call(Coi_Placements_V1_Matching.Method.match, .with {
            $0.seasonID = season.id
            $0.dryRun = true
        })
        #expect(dry.dryRun && dry.placed == 3)
        let after = try await fixture.call(Coi_Placements_V1_Seasons.Method.get, .with { $0.id = season.id })
        #expect(after.phase == .draft && after.matchedAt.isEmpty)
        let rows = try await fixture.exportMatches(season.id)
        #expect(rows.allSatisfy { $0[3].isEmpty && $0[9] == "not_matched_yet" })
    }

    /// A re-run writes only what changed: unchanged placements keep when they were made, a changed
    /// one is replaced, and what is stored is exactly what the reply said.
    @Test func rematchKeepsUnchangedPlacementsAndReplacesChangedOnes() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        try await fixture.importFiles(season.id, ImportCSV())
        let first = try await fixture.call(Coi_Placements_V1_Matching.Method.match, .with { $0.seasonID = season.id })
        let firstAt = Dictionary(uniqueKeysWithValues: first.placements.map { ($0.seekerRef, $0.placedAt) })
        let s1 = try #require(first.placements.first { $0.seekerRef == "S1" })
        let adjusted = try await fixture.call(Coi_Placements_V1_Matching.Method.adjust, .with {
            $0.seasonID = season.id
            $0.seekerID = s1.seekerID
            $0.reason = "changed their mind"
        })
        #expect(adjusted.offerID.isEmpty && adjusted.source == "adjusted")

        let again = try await fixture.call(Coi_Placements_V1_Matching.Method.match, .with { $0.seasonID = season.id })
        #expect(again.stable)
        let placed = Dictionary(uniqueKeysWithValues: again.placements.map { ($0.seekerRef, $0) })
        #expect(placed.mapValues(\.offerRef) == ["S1": "O2", "S2": "O1", "S3": "O2"])
        #expect(placed["S2"]?.placedAt == firstAt["S2"] && placed["S3"]?.placedAt == firstAt["S3"])
        #expect(placed["S1"]?.source == "matching")
        #expect(placed["S1"]?.placedAt != firstAt["S1"] && (placed["S1"]?.placedAt ?? "") > (firstAt["S1"] ?? ""))
        #expect(Set(again.unplaced.map(\.seekerRef)) == ["S4", "S5"])

        let stored = try await fixture.call(Coi_Placements_V1_Matching.Method.get, .with { $0.seasonID = season.id })
        let storedPlacements = stored.placements.sorted { $0.seekerID < $1.seekerID }
        let repliedPlacements = again.placements.sorted { $0.seekerID < $1.seekerID }
        #expect(storedPlacements == repliedPlacements)
        let storedUnplaced = stored.unplaced.sorted { $0.seekerID < $1.seekerID }
        let repliedUnplaced = again.unplaced.sorted { $0.seekerID < $1.seekerID }
        #expect(storedUnplaced == repliedUnplaced)
    }

    @Test func badRowNamesFileLineAndColumnAndStoresNothing() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        var files = ImportCSV()
        files.seekers = files.seekers.replacingOccurrences(of: "S3,Ib Lund,ib@rm.dk,Region Midtjylland,regional,751",
                                                           with: "S3,Ib Lund,ib@rm.dk,Region Midtjylland,regional,999")
        let error = await rpcError { try await fixture.importFiles(season.id, files) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix("seekers.csv, line 4, column municipality_code:") == true)
        #expect(error?.fieldViolations.first?.field == "seekers.csv:4:municipality_code")
        // Nothing of the valid files went in: the same import, corrected, succeeds in full.
        let imported = try await fixture.importFiles(season.id, ImportCSV())
        #expect(imported.seekers == 5 && imported.accountsCreated == 13)
    }

    @Test func unknownRefsAndUnappliedRankingsAreRefused() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        var files = ImportCSV()
        files.preferences += "S5,2,O9\n"
        let unknown = await rpcError { try await fixture.importFiles(season.id, files) }
        #expect(unknown?.message.hasPrefix("preferences.csv, line 10, column offer_ref: no published offer O9") == true)
        files = ImportCSV()
        files.rankings += "O3,2,S1\n"
        let unapplied = await rpcError { try await fixture.importFiles(season.id, files) }
        #expect(unapplied?.message == "host_rankings.csv, line 9, column seeker_ref: S1 did not choose offer O3")
        files = ImportCSV()
        files.offers = files.offers.replacingOccurrences(of: "ref,title", with: "reference,title")
        let header = await rpcError { try await fixture.importFiles(season.id, files) }
        #expect(header?.message.hasPrefix("offers.csv, line 1:") == true)
    }

    @Test func importIsForCoordinatorsOnly() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        let member = try await fixture.person("Mette Member")
        let error = await rpcError { try await fixture.importFiles(season.id, ImportCSV(), token: member.token) }
        #expect(error?.code == .permissionDenied)
    }

    @Test func adjustmentsAreCheckedForCapacityAndBookingTakesFreePlaces() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        try await fixture.importFiles(season.id, ImportCSV())
        let reply = try await fixture.call(Coi_Placements_V1_Matching.Method.match, .with { $0.seasonID = season.id })
        let ids = Dictionary(uniqueKeysWithValues: (reply.placements.map { ($0.seekerRef, $0.seekerID) } + reply.unplaced.map { ($0.seekerRef, $0.seekerID) }))
        let offers = Dictionary(reply.placements.map { ($0.offerRef, $0.offerID) }, uniquingKeysWith: { first, _ in first })
        // O1 holds one seeker and is full.
        let full = await rpcError {
            _ = try await fixture.call(Coi_Placements_V1_Matching.Method.adjust, .with {
                $0.seasonID = season.id
                $0.seekerID = ids["S1"] ?? ""
                $0.offerID = offers["O1"] ?? ""
                $0.reason = "wish"
            })
        }
        #expect(full?.code == .failedPrecondition && full?.reason == "OFFER_FULL")
        // S4 has no approval: no placement.
        let unapproved = await rpcError {
            _ = try await fixture.call(Coi_Placements_V1_Matching.Method.adjust, .with {
                $0.seasonID = season.id
                $0.seekerID = ids["S4"] ?? ""
                $0.offerID = offers["O2"] ?? ""
                $0.reason = "wish"
            })
        }
        #expect(unapproved?.reason == "NOT_APPROVED")
        let moved = try await fixture.call(Coi_Placements_V1_Matching.Method.adjust, .with {
            $0.seasonID = season.id
            $0.seekerID = ids["S1"] ?? ""
            $0.reason = "changed their mind"
        })
        #expect(moved.offerID.isEmpty && moved.source == "adjusted")
        let after = try await fixture.call(Coi_Placements_V1_Matching.Method.get, .with { $0.seasonID = season.id })
        #expect(after.placed == 2)
    }
}
