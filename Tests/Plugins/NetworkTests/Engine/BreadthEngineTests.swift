import COINetwork
import Testing

@Suite struct BreadthEngineTests {
    func seat(_ party: String, _ body: Body, _ region: Int) -> BreadthEngine.Seat {
        BreadthEngine.Seat(party: party, body: body, regionCode: region)
    }

    @Test func effectiveNumberOfPartiesIsOneOverTheSumOfSquaredShares() {
        #expect(BreadthEngine.effectiveParties([]) == 0)
        #expect(BreadthEngine.effectiveParties([7]) == 1)
        #expect(BreadthEngine.effectiveParties([5, 5]) == 2)
        // Shares 0.5, 0.25, 0.25: 1 / (0.25 + 0.0625 + 0.0625) = 2.666…
        #expect(abs(BreadthEngine.effectiveParties([2, 1, 1]) - 8.0 / 3.0) < 1e-12)
    }

    @Test func countsByPartyBodyAndRegion() {
        let result = BreadthEngine.compute([seat("A", .municipalCouncil, 1084), seat("A", .folketing, 0), seat("Ø", .regionalCouncil, 1085)],
                                           criteria: LaunchCriteria())
        #expect(result.activeMembers == 3)
        #expect(result.byParty == ["A": 2, "Ø": 1])
        #expect(result.byBody == [.municipalCouncil: 1, .regionalCouncil: 1, .folketing: 1])
        // Every region is listed, zeros included; a Folketing member without a region counts in none.
        #expect(result.byRegion == [1081: 0, 1082: 0, 1083: 0, 1084: 1, 1085: 1])
        #expect(result.partyBody["A"] == [.municipalCouncil: 1, .folketing: 1])
    }

    @Test func notViableSaysWhatIsMissingInWords() {
        let result = BreadthEngine.compute([seat("A", .municipalCouncil, 1084), seat("V", .municipalCouncil, 1081),
                                            seat("Ø", .regionalCouncil, 1085)], criteria: LaunchCriteria())
        #expect(!result.viable)
        #expect(result.missing == ["22 more active members needed (3 of 25)", "2 more parties needed (3 of 5)", "no member of the Folketing",
                                   "no member in Region Midtjylland", "no member in Region Syddanmark"])
    }

    @Test func viableOnceEveryCriterionHolds() {
        let parties = ["A", "V", "Ø", "C", "F"]
        let regions = [1081, 1082, 1083, 1084, 1085]
        let bodies: [Body] = [.municipalCouncil, .regionalCouncil, .folketing]
        let seats = (0..<25).map { index in seat(parties[index % 5], bodies[index % 3], regions[(index / 5) % 5]) }
        let result = BreadthEngine.compute(seats, criteria: LaunchCriteria())
        #expect(result.viable && result.missing.isEmpty)
        #expect(abs(result.effectiveParties - 5) < 1e-12)
        // Lower criteria from the config apply too.
        let small = BreadthEngine.compute([seat("A", .folketing, 0)], criteria: LaunchCriteria(minMembers: 1, minParties: 1, minBodies: 1, minRegions: 0))
        #expect(small.viable)
        let twoBodies = BreadthEngine.compute([seat("A", .folketing, 0)], criteria: LaunchCriteria(minMembers: 1, minParties: 1, minBodies: 2, minRegions: 0))
        #expect(twoBodies.missing == ["members in 1 more body needed (none yet in: municipal council, regional council)"])
    }
}
