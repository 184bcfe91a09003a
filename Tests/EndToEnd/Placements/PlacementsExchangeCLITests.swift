import COIPlacements
import Foundation
import Testing

/// Issue 11, items 7–9 through the real coictl against the real coid: an exchange proposed and
/// accepted by two people with tokens, its agreement written and confirmed by the three named
/// people, and the reports as CSV.
@Suite(.serialized) struct PlacementsExchangeCLITests {
    @Test func exchangeAgreementAndReportsThroughCoictl() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let season = try await cli.object(["placements", "seasons", "create", "--year", "2027", "--week", "37"])
        let id = try #require(season["id"] as? String)

        func person(_ name: String) async throws -> (id: String, token: String) {
            let account = try await cli.add(name)
            return (account, try await cli.issue(account))
        }
        let karin = try await person("Karin Ødegård"), peter = try await person("Peter Æbelø")
        let karinsLeder = try await person("Leder Gladsaxe"), petersLeder = try await person("Leder FM")
        func register(_ who: (id: String, token: String), _ workplace: String, _ level: String, _ municipality: String,
                      _ manager: String) async throws -> String {
            let seeker = try await cli.object(["placements", "seekers", "register", id, "--workplace", workplace, "--level", level,
                                               "--municipality", municipality, "--manager", manager], token: who.token)
            return try #require(seeker["id"] as? String)
        }
        let karinSeeker = try await register(karin, "Gladsaxe Kommune", "municipal", "159", karinsLeder.id)
        let peterSeeker = try await register(peter, "Finansministeriet", "state", "101", petersLeder.id)
        try await cli.ok(["placements", "seekers", "approve", karinSeeker], token: karinsLeder.token)

        // Wrong input in words, nothing stored.
        try await cli.rejected(["placements", "exchanges", "propose", karinSeeker, karinSeeker, "--days", "2"], "INVALID_ARGUMENT",
                               mentions: ["partner_seeker_id"], token: karin.token)
        try await cli.rejected(["placements", "exchanges", "propose", karinSeeker, peterSeeker, "--days", "7"], "INVALID_ARGUMENT",
                               mentions: ["days"], token: karin.token)
        let proposed = try await cli.object(["placements", "exchanges", "propose", karinSeeker, peterSeeker, "--days", "2",
                                             "--note", "Vi bytter stol"], token: karin.token)
        let exchange = try #require(proposed["id"] as? String)
        #expect(proposed["status"] as? String == "EXCHANGE_STATUS_PROPOSED" && proposed["partner_name"] as? String == "Peter Æbelø")
        try await cli.rejected(["placements", "exchanges", "accept", exchange], "FAILED_PRECONDITION", mentions: ["has not approved"],
                               token: peter.token)
        try await cli.ok(["placements", "seekers", "approve", peterSeeker], token: petersLeder.token)
        try await cli.rejected(["placements", "exchanges", "accept", exchange], "PERMISSION_DENIED", token: karin.token)
        let placed = try await cli.object(["placements", "exchanges", "accept", exchange], token: peter.token)
        #expect(placed["status"] as? String == "EXCHANGE_STATUS_PLACED" && (placed["offer_ids"] as? [Any])?.count == 2)
        let listed = try await cli.array(["placements", "exchanges", "ls", id])
        #expect(listed.map { $0["id"] as? String } == [exchange])
        let mine = try await cli.ok(["placements", "exchanges", "ls", id], token: karin.token)
        #expect(mine.contains("Karin Ødegård") && mine.contains("Finansministeriet"))

        // Karin's agreement: Peter is her host contact.
        let saved = try await cli.object(["placements", "agreements", "save", karinSeeker, "--goals", "Se hvordan et ministerie arbejder",
                                          "--days", "2", "--confidentiality", "Intet om budgettet"], token: karin.token)
        #expect(saved["version"] as? Int == 1 && saved["status"] as? String == "AGREEMENT_STATUS_DRAFT")
        try await cli.rejected(["placements", "agreements", "confirm", karinSeeker, "--as", "host"], "PERMISSION_DENIED", token: karin.token)
        try await cli.ok(["placements", "agreements", "confirm", karinSeeker, "--as", "seeker"], token: karin.token)
        try await cli.ok(["placements", "agreements", "confirm", karinSeeker, "--as", "host"], token: peter.token)
        let agreed = try await cli.object(["placements", "agreements", "confirm", karinSeeker, "--as", "manager"], token: karinsLeder.token)
        #expect(agreed["status"] as? String == "AGREEMENT_STATUS_AGREED")
        let changed = try await cli.object(["placements", "agreements", "save", karinSeeker, "--days", "3"], token: peter.token)
        #expect(changed["status"] as? String == "AGREEMENT_STATUS_RECONFIRMATION_NEEDED" && changed["goals"] as? String
                == "Se hvordan et ministerie arbejder")

        // Reports as CSV; the feed names what happened, not who.
        let fill = try await cli.ok(["placements", "report", id, "--format", "csv"])
        #expect(fill.hasPrefix("dimension,key,offers,places,placed,fill_rate\r\ntotal,,0,0,0,0.000\r\n"))
        let years = try await cli.ok(["placements", "years", "--format", "csv"])
        let table = try CSVTable(years, expected: ["season_id", "year", "week", "title", "phase", "offers", "places", "seekers", "approved",
                                                   "placed", "placed_in_offers", "exchanges", "fill_rate", "offers_change", "seekers_change",
                                                   "placed_change", "fill_rate_change"])
        #expect(table.records.map { [$0.fields[0], $0.fields[7], $0.fields[9], $0.fields[11]] } == [[id, "2", "2", "1"]])
        let feed = try await cli.array(["placements", "feed", "--season", id])
        #expect(feed.compactMap { $0["kind"] as? String }.contains("exchange.placed"))
        #expect(feed.compactMap { $0["kind"] as? String }.contains("agreement.confirmed"))
        #expect(!feed.contains { ($0["detail"] as? String ?? "").contains("Karin") })
        let first = try await cli.run(["placements", "years", "--format", "csv"])
        #expect(first.status == 0 && first.stdout.hasPrefix("season_id,"))
    }
}
