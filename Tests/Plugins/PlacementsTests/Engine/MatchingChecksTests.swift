@testable import COIPlacements
import Testing

@Suite struct MatchingChecksTests {
    typealias F = Fixture
    typealias Pair = MatchingChecks.Pair

    /// s1 and s2 both want A first; A (one place) prefers s1; B takes either.
    static func instance() throws -> MatchingInstance {
        try MatchingInstance(seekers: [F.seeker("s1", "A", "B"), F.seeker("s2", "A", "B"), F.seeker("s3", "B", eligible: false)],
                             offers: [F.offer("A", "s1", "s2"), F.offer("B", "s2", "s1", "s3")])
    }

    @Test func findsThePairThatWouldRatherBeTogether() throws {
        let instance = try Self.instance()
        // s2 at A and s1 at B: s1 and A prefer each other.
        let swapped = F.matching(["s1": "B", "s2": "A"], instance)
        #expect(MatchingChecks.blockingPairs(swapped, in: instance) == [Pair(seeker: 0, offer: 0)])
        #expect(!MatchingChecks.isStable(swapped, in: instance))
        let stable = F.matching(["s1": "A", "s2": "B"], instance)
        #expect(MatchingChecks.blockingPairs(stable, in: instance).isEmpty)
        #expect(MatchingChecks.isStable(stable, in: instance))
    }

    @Test func anUnplacedSeekerBlocksWithAnyOfferWithRoomThatRanksThem() throws {
        let instance = try Self.instance()
        let empty = Matching(seekers: instance.seekerCount)
        // s3 is not approved, so never blocks.
        #expect(MatchingChecks.blockingPairs(empty, in: instance)
            == [Pair(seeker: 0, offer: 0), Pair(seeker: 0, offer: 1), Pair(seeker: 1, offer: 0), Pair(seeker: 1, offer: 1)])
    }

    @Test func aPlacementNobodyChoseIsWorseThanAnyChoice() throws {
        // An admin put s1 at B though s1 never listed it and B never ranked them.
        let instance = try MatchingInstance(seekers: [F.seeker("s1", "A"), F.seeker("s2", "A")],
                                            offers: [F.offer("A", "s2", "s1"), F.offer("B", capacity: 2, "s2")])
        let adjusted = F.matching(["s1": "B", "s2": "A"], instance)
        #expect(MatchingChecks.unacceptablePlacements(adjusted, in: instance) == [Pair(seeker: 0, offer: 1)])
        #expect(MatchingChecks.blockingPairs(adjusted, in: instance).isEmpty)
        #expect(!MatchingChecks.isStable(adjusted, in: instance))
        // A host prefers anyone it ranked to a seeker it did not: with s1 (unranked) at A and s2
        // unplaced, s2 blocks with A as well as with B.
        let swapped = try MatchingInstance(seekers: [F.seeker("s1", "A"), F.seeker("s2", "B", "A")],
                                           offers: [F.offer("A", "s2"), F.offer("B", "s2")])
        #expect(MatchingChecks.blockingPairs(F.matching(["s1": "A", "s2": "B"], swapped), in: swapped).isEmpty)
        #expect(MatchingChecks.blockingPairs(F.matching(["s1": "A"], swapped), in: swapped)
            == [Pair(seeker: 1, offer: 1), Pair(seeker: 1, offer: 0)])
    }

    @Test func capacityCheckFindsOverfilledOffers() throws {
        let instance = try Self.instance()
        let crowded = F.matching(["s1": "A", "s2": "A", "s3": "B"], instance)
        #expect(MatchingChecks.overfilledOffers(crowded, in: instance) == [0])
        #expect(MatchingChecks.unacceptablePlacements(crowded, in: instance) == [Pair(seeker: 2, offer: 1)])  // s3 not approved
        #expect(!MatchingChecks.isStable(crowded, in: instance))
        #expect(MatchingChecks.overfilledOffers(F.matching(["s1": "A", "s2": "B"], instance), in: instance).isEmpty)
    }

    @Test func unknownIDsGiveNoMatching() throws {
        #expect(Matching(placements: ["s1": "Z"], in: try Self.instance()) == nil)
        #expect(Matching(placements: ["zz": "A"], in: try Self.instance()) == nil)
    }
}
