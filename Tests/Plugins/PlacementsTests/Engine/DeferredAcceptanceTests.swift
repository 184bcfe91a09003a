@testable import COIPlacements
import Testing

@Suite struct DeferredAcceptanceTests {
    typealias F = Fixture

    /// Gale & Shapley's cyclic 3 × 3 example: three stable matchings exist, and the proposing side
    /// gets its first choices in the optimal one.
    static let cyclicSeekers = [F.seeker("m1", "w1", "w2", "w3"), F.seeker("m2", "w2", "w3", "w1"), F.seeker("m3", "w3", "w1", "w2")]
    static let cyclicOffers = [F.offer("w1", "m2", "m3", "m1"), F.offer("w2", "m3", "m1", "m2"), F.offer("w3", "m1", "m2", "m3")]

    @Test func cyclicExampleGivesSeekersTheirFirstChoices() throws {
        let outcome = try DeferredAcceptance.match(seekers: Self.cyclicSeekers, offers: Self.cyclicOffers)
        #expect(F.placed(outcome) == ["m1": "w1", "m2": "w2", "m3": "w3"])
        #expect(outcome.placements.map(\.choice) == [1, 1, 1])
        #expect(outcome.placements.map(\.hostRank) == [3, 3, 3])
        #expect(outcome.unplaced.isEmpty)
    }

    @Test func cyclicExampleHasExactlyThreeStableMatchings() throws {
        let instance = try MatchingInstance(seekers: Self.cyclicSeekers, offers: Self.cyclicOffers)
        let all = StableMatchings.all(in: instance).map { MatchingOutcome(instance: instance, matching: $0) }.map(F.placed)
        #expect(all.count == 3)
        #expect(all.contains(["m1": "w1", "m2": "w2", "m3": "w3"]))
        #expect(all.contains(["m1": "w2", "m2": "w3", "m3": "w1"]))
        #expect(all.contains(["m1": "w3", "m2": "w1", "m3": "w2"]))
    }

    @Test func hostWithTwoPlacesKeepsItsBestApplicants() throws {
        // Traced by hand: s1, s2 → A; s3 → A bumps s2 (A ranks s3 first); s2 → B; s4 → B is
        // refused (B holds s2, ranked higher); s4 → A bumps s1; s1 → B is refused; s1 is out.
        let outcome = try DeferredAcceptance.match(
            seekers: [F.seeker("s1", "A", "B"), F.seeker("s2", "A", "B"), F.seeker("s3", "A"), F.seeker("s4", "B", "A")],
            offers: [F.offer("A", capacity: 2, "s3", "s4", "s1", "s2"), F.offer("B", "s2", "s1", "s4")])
        #expect(F.placed(outcome) == ["s2": "B", "s3": "A", "s4": "A"])
        #expect(F.reasons(outcome) == ["s1": .allFull])
        #expect(outcome.seekersByOffer == ["A": ["s3", "s4"], "B": ["s2"]])
    }

    @Test func capacityThreeTakesThreeAndNoMore() throws {
        let seekers = (1...5).map { F.seeker("s\($0)", "A", "B") }
        let outcome = try DeferredAcceptance.match(seekers: seekers, offers: [
            F.offer("A", capacity: 3, "s5", "s4", "s3", "s2", "s1"), F.offer("B", "s1", "s2", "s3", "s4", "s5"),
        ])
        #expect(F.placed(outcome) == ["s5": "A", "s4": "A", "s3": "A", "s1": "B"])
        #expect(F.reasons(outcome) == ["s2": .allFull])
    }

    @Test func onlyMutuallyAcceptablePairsMatch() throws {
        // A does not rank s1 (s1 falls through to B); B ranks s2, who never listed B; C ranks
        // nobody at all; s3 lists only A, which does not rank them.
        let outcome = try DeferredAcceptance.match(
            seekers: [F.seeker("s1", "A", "B"), F.seeker("s2", "A", "C"), F.seeker("s3", "A")],
            offers: [F.offer("A", capacity: 3, "s2"), F.offer("B", "s2", "s1"), F.offer("C")])
        #expect(F.placed(outcome) == ["s1": "B", "s2": "A"])
        #expect(F.reasons(outcome) == ["s3": .noAcceptableOffer])
    }

    @Test func seekersWithoutApprovalTakeNoPlace() throws {
        // The host's favourite is not approved, so the place goes to the next in its ranking.
        let outcome = try DeferredAcceptance.match(
            seekers: [F.seeker("s1", "A", eligible: false), F.seeker("s2", "A")],
            offers: [F.offer("A", "s1", "s2")])
        #expect(F.placed(outcome) == ["s2": "A"])
        #expect(F.reasons(outcome) == ["s1": .noApproval])
        #expect(outcome.unplaced.map(\.reason) == [.noApproval])
    }

    @Test func aRejectedSeekerMovesDownTheirListNotUp() throws {
        // s2 displaces s1 at A; s1 then takes B, whose host prefers them to s3, so s3 ends at C: a
        // chain of rejections, each seeker only ever moving down their own list.
        let outcome = try DeferredAcceptance.match(
            seekers: [F.seeker("s1", "A", "B"), F.seeker("s2", "A"), F.seeker("s3", "B", "C")],
            offers: [F.offer("A", "s2", "s1"), F.offer("B", "s1", "s3"), F.offer("C", "s3")])
        #expect(F.placed(outcome) == ["s1": "B", "s2": "A", "s3": "C"])
        #expect(outcome.placements.map(\.choice) == [2, 1, 2])
    }

    @Test func nothingToMatch() throws {
        // No records at all; seekers without offers; offers without seekers; nobody lists anything;
        // every place closed.
        #expect(try DeferredAcceptance.match(seekers: [], offers: []) == MatchingOutcome(
            instance: try MatchingInstance(seekers: [], offers: []), matching: Matching(seekers: 0)))
        let noOffers = try DeferredAcceptance.match(seekers: [F.seeker("s1", "A"), F.seeker("s2")], offers: [])
        #expect(noOffers.placements.isEmpty && F.reasons(noOffers) == ["s1": .noAcceptableOffer, "s2": .noAcceptableOffer])
        let noSeekers = try DeferredAcceptance.match(seekers: [], offers: [F.offer("A", capacity: 3, "s1")])
        #expect(noSeekers.placements.isEmpty && noSeekers.unplaced.isEmpty)
        let closed = try DeferredAcceptance.match(seekers: [F.seeker("s1", "A")], offers: [F.offer("A", capacity: 0, "s1")])
        #expect(closed.placements.isEmpty && F.reasons(closed) == ["s1": .allFull])
    }

    @Test func theMatchIsStableAndUnique() throws {
        let instance = try MatchingInstance(seekers: Self.cyclicSeekers, offers: Self.cyclicOffers)
        let matching = DeferredAcceptance.match(instance)
        #expect(MatchingChecks.isStable(matching, in: instance))
        #expect(DeferredAcceptance.match(instance) == matching)
    }
}
