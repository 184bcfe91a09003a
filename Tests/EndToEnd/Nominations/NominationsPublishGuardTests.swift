import COIProto
import COIWire
import Foundation
import Testing

/// Results are published only for winners who consented and were judged on enough score sheets
/// (min_sheets, default 2); `results compute` says what stands in the way first.
@Suite struct NominationsPublishGuardTests {
    @Test func publishingNeedsConsentAndEnoughSheets() async throws {
        let world = try await NominationsWorld.start()
        let cli = world.cli
        let campaign = try await cli.ok(["nominations", "campaigns", "create", "--kind", "idea", "--year", "2026",
                                         "--title", "Bedste Mindste Idé, prøve"]).trimmingCharacters(in: .whitespacesAndNewlines)
        try await world.setPhase(campaign, "open")
        let nominator = try await world.person("Nanna Nominator", workplace: "Vejle Kommune", municipality: 630)
        // Hovedstaden: A is the best, but its nominee never consents; B is the next.
        let a = try await world.submit(campaign, token: nominator.token, nominees: ["Asta Å"], workplace: "Københavns Rådhus",
                                       municipality: 101, title: "Æbler i kantinen")
        let b = try await world.submit(campaign, token: nominator.token, nominees: ["Birk Bæk"], workplace: "Frederiksberg Bibliotek",
                                       municipality: 147, title: "Bøger på hjul")
        // Nordjylland: C is the national best, but two of the three jurors work where C was made.
        let other = try await world.person("Ole Other", workplace: "Horsens Kommune", municipality: 615)
        let c = try await world.submit(campaign, token: other.token, nominees: ["Carl Cæsar"], workplace: "Aalborg Rådhus",
                                       municipality: 851, title: "Cykler til hjemmeplejen")
        for id in [b.id, c.id] { try await cli.ok(["nominations", "consent", id]) }
        try await world.setPhase(campaign, "screening")
        try await cli.ok(["nominations", "screen", campaign, "eligible", a.id, b.id, c.id])
        try await cli.ok(["nominations", "screen", campaign, "shortlist", a.id, b.id, c.id])
        let jurors = try await [("Jens Juul", "Aalborg Rådhus", 851), ("Jette Jul", "Aalborg rådhus", 851), ("Karen Krog", "KL", 101)]
            .asyncMap { try await world.person($0.0, workplace: $0.1, municipality: $0.2) }
        for juror in jurors { try await cli.ok(["nominations", "jurors", "add", campaign, juror.id]) }
        try await world.setPhase(campaign, "jury")
        for juror in jurors {
            try await cli.ok(["nominations", "score", campaign, a.id, "--scores", "5,5,4,5"], token: juror.token)
            try await cli.ok(["nominations", "score", campaign, b.id, "--scores", "3,3,3,3"], token: juror.token)
        }
        try await cli.ok(["nominations", "score", campaign, c.id, "--scores", "5,5,5,5"], token: jurors[2].token)

        // The preview names both problems, in words and in JSON.
        let text = try await cli.ok(["nominations", "results", "compute", campaign])
        #expect(text.contains("cannot be published yet (2 problems)") && text.contains(a.id) && text.contains(c.id))
        let preview = try await cli.object(["nominations", "results", "compute", campaign])
        let warnings = try #require(preview["warnings"] as? [[String: Any]])
        #expect(warnings.map { $0["nomination_id"] as? String } == [c.id, a.id])
        #expect(warnings.map { $0["problem"] as? String } == ["TOO_FEW_SHEETS", "MISSING_CONSENT"])
        #expect(preview["national_winner_id"] as? String == c.id && preview["min_sheets"] as? Int == 2)

        // Publishing refuses, listing both, and changes nothing.
        try await cli.rejected(["nominations", "results", "publish", campaign], "FAILED_PRECONDITION",
                               mentions: [a.id, "consent", c.id, "1 score sheet, min_sheets is 2"])
        #expect(try await cli.object(["nominations", "campaigns", "show", campaign])["phase"] as? String == "JURY")
        #expect(try await world.nomination(a.id).state == .shortlisted)

        // A fourth juror scores C; A's nominee declines, so the campaign withdraws A and B moves up.
        let mette = try await world.person("Mette Munk", workplace: "Danske Regioner", municipality: 101)
        try await cli.ok(["nominations", "jurors", "add", campaign, mette.id])
        try await cli.ok(["nominations", "score", campaign, c.id, "--scores", "5,5,5,4"], token: mette.token)
        try await cli.ok(["nominations", "withdraw", a.id, "--reason", "the nominee declined to be named"])
        let ready = try await cli.object(["nominations", "results", "compute", campaign])
        #expect((ready["warnings"] as? [Any])?.isEmpty == true)
        let published = try await cli.object(["nominations", "results", "publish", campaign])
        let regions = try #require(published["regions"] as? [[String: Any]])
        #expect(regions.first { $0["region"] as? String == "hovedstaden" }?["winner_id"] as? String == b.id)
        #expect(published["national_winner_id"] as? String == c.id)
        // The public sees every winner with a title.
        let results = try await world.call(Coi_Nominations_V1_Results.Method.get, Coi_Nominations_V1_GetResultsRequest.with { $0.campaignID = campaign },
                                           token: other.token)
        let winners = results.regions.flatMap(\.ranking).filter { [b.id, c.id].contains($0.nominationID) }
        #expect(winners.count == 2 && winners.allSatisfy { !$0.title.isEmpty && $0.consented })
        await world.stop()
    }
}
