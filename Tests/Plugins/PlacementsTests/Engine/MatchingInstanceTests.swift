@testable import COIPlacements
import Testing

@Suite struct MatchingInstanceTests {
    typealias F = Fixture

    @Test func indicesFollowSortedIDsWhateverTheRecordOrder() throws {
        let instance = try MatchingInstance(seekers: [F.seeker("b", "Y"), F.seeker("c"), F.seeker("a", "X", "Y")],
                                            offers: [F.offer("Y", "a", "b"), F.offer("X", "a")])
        #expect(instance.seekerIDs == ["a", "b", "c"])
        #expect(instance.offerIDs == ["X", "Y"])
        #expect(Array(instance.choices(of: 0)) == [0, 1])
        #expect(Array(instance.ranking(of: 1)) == [0, 1])
        #expect(instance.seekerIndex(of: "c") == 2 && instance.offerIndex(of: "Y") == 1 && instance.seekerIndex(of: "z") == nil)
    }

    @Test func unknownIDsAndRepeatsAreDropped() throws {
        let instance = try MatchingInstance(seekers: [F.seeker("s1", "gone", "B", "A", "B"), F.seeker("s2", "A")],
                                            offers: [F.offer("A", "nobody", "s2", "s1", "s2"), F.offer("B", "s1")])
        #expect(Array(instance.choices(of: 0)) == [1, 0])
        #expect(Array(instance.ranking(of: 0)) == [1, 0])
        #expect(instance.seekerRank(of: 0, by: 0) == 1 && instance.hostRank(of: 0, by: 0) == 1)
        #expect(instance.hostRank(of: 1, by: 1) == nil && instance.seekerRank(of: 1, by: 1) == nil)
    }

    @Test func mutualAcceptabilityNeedsBothSidesAndApproval() throws {
        let instance = try MatchingInstance(
            seekers: [F.seeker("s1", "A", "B"), F.seeker("s2", "A", eligible: false), F.seeker("s3")],
            offers: [F.offer("A", "s2", "s1", "s3"), F.offer("B")])
        #expect(instance.isMutuallyAcceptable(seeker: 0, offer: 0))
        #expect(!instance.isMutuallyAcceptable(seeker: 0, offer: 1))  // B ranks nobody
        #expect(!instance.isMutuallyAcceptable(seeker: 1, offer: 0))  // not approved
        #expect(!instance.isMutuallyAcceptable(seeker: 2, offer: 0))  // s3 listed nothing
        #expect(instance.hasAcceptableChoice(0) && instance.hasAcceptableChoice(1) && !instance.hasAcceptableChoice(2))
    }

    @Test func hostRankIsKnownForSeekersWhoDidNotApply() throws {
        let instance = try MatchingInstance(seekers: [F.seeker("s1"), F.seeker("s2", "A")], offers: [F.offer("A", "s1", "s2")])
        #expect(instance.hostRank(of: 0, by: 0) == 0 && instance.hostRank(of: 1, by: 0) == 1)
    }

    @Test func repeatedIDsAndNegativeCapacitiesAreRefused() {
        #expect(throws: MatchingInstance.InputError.duplicateSeeker("s1")) {
            try MatchingInstance(seekers: [F.seeker("s1"), F.seeker("s2"), F.seeker("s1")], offers: [])
        }
        #expect(throws: MatchingInstance.InputError.duplicateOffer("A")) {
            try MatchingInstance(seekers: [], offers: [F.offer("A"), F.offer("A")])
        }
        #expect(throws: MatchingInstance.InputError.negativeCapacity(offer: "B")) {
            try MatchingInstance(seekers: [], offers: [F.offer("A"), F.offer("B", capacity: -1)])
        }
    }
}
