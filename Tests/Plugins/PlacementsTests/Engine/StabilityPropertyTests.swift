@testable import COIPlacements
import Testing

/// Properties on random instances: stable always, seeker-optimal against brute force, strategy-proof
/// for seekers, and deterministic.
@Suite struct StabilityPropertyTests {
    @Test(arguments: 0..<200 as Range<UInt64>)
    func randomMatchingsHaveNoBlockingPair(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        let generated = RandomInstance(seekers: random.between(0, 120), offers: random.between(1, 40), maxChoices: 10,
                                       noise: seed % 2 == 0, using: &random)
        let instance = try generated.instance()
        let matching = DeferredAcceptance.match(instance)
        #expect(MatchingChecks.blockingPairs(matching, in: instance).isEmpty)
        #expect(MatchingChecks.overfilledOffers(matching, in: instance).isEmpty)
        #expect(MatchingChecks.unacceptablePlacements(matching, in: instance).isEmpty)
        let outcome = MatchingOutcome(instance: instance, matching: matching)
        #expect(outcome.placements.count + outcome.unplaced.count == instance.seekerCount)
        // `allFull` means every offer that would take the seeker is full of seekers its host ranked
        // higher; `noAcceptableOffer` that no offer would take them.
        let byOffer = matching.seekersByOffer(offers: instance.offerCount)
        for unplaced in outcome.unplaced {
            let seeker = instance.seekerIndex(of: unplaced.seekerID)!
            let acceptable = instance.choices(of: seeker).filter { instance.isMutuallyAcceptable(seeker: seeker, offer: $0) }
            switch unplaced.reason {
            case .noApproval: #expect(!instance.eligible[seeker])
            case .noAcceptableOffer: #expect(instance.eligible[seeker] && acceptable.isEmpty)
            case .allFull:
                #expect(instance.eligible[seeker] && !acceptable.isEmpty)
                for offer in acceptable {
                    #expect(byOffer[offer].count == instance.capacities[offer])
                    #expect(byOffer[offer].allSatisfy { instance.hostRank(of: $0, by: offer)! < instance.hostRank(of: seeker, by: offer)! })
                }
            }
        }
    }

    @Test func aLargerSeasonHasNoBlockingPair() throws {
        var random = SplitMix64(state: 2017)
        let instance = try RandomInstance(seekers: 2_000, offers: 600, maxChoices: 10, using: &random).instance()
        let matching = DeferredAcceptance.match(instance)
        #expect(MatchingChecks.isStable(matching, in: instance))
        #expect(matching.placedCount > 0)
    }

    /// Small enough for `StableMatchings.all`: the matcher's result is one of the stable matchings,
    /// and every seeker does at least as well in it as in any other (unplaced counts as worst).
    @Test(arguments: 0..<300 as Range<UInt64>)
    func smallMatchingsAreSeekerOptimalByBruteForce(seed: UInt64) throws {
        var random = SplitMix64(state: 1_000 + seed)
        let instance = try RandomInstance(seekers: random.between(1, 6), offers: random.between(1, 4), maxChoices: 4,
                                          using: &random).instance()
        let result = DeferredAcceptance.match(instance)
        let all = StableMatchings.all(in: instance)
        #expect(all.contains(result))
        for other in all {
            for seeker in 0..<instance.seekerCount {
                #expect(rank(result, seeker, instance) <= rank(other, seeker, instance), "seeker \(seeker), seed \(seed)")
            }
            // Rural hospitals theorem: every stable matching places the same seekers and fills each
            // offer equally, a second, independent check of the enumerator.
            #expect(Set((0..<instance.seekerCount).filter { other.offer(of: $0) != nil })
                == Set((0..<instance.seekerCount).filter { result.offer(of: $0) != nil }))
            #expect(other.seekersByOffer(offers: instance.offerCount).map(\.count)
                == result.seekersByOffer(offers: instance.offerCount).map(\.count))
        }
    }

    /// No seeker gains by listing offers in another order or leaving some out.
    @Test(arguments: 0..<60 as Range<UInt64>)
    func seekersCannotGainByMisreporting(seed: UInt64) throws {
        var random = SplitMix64(state: 5_000 + seed)
        let generated = RandomInstance(seekers: random.between(2, 6), offers: random.between(2, 4), maxChoices: 4, using: &random)
        let truthful = try DeferredAcceptance.match(seekers: generated.seekers, offers: generated.offers)
        for (index, seeker) in generated.seekers.enumerated() {
            let truth = seeker.choices
            let honest = truthful.placements.first { $0.seekerID == seeker.id }.map { truth.firstIndex(of: $0.offerID)! } ?? .max
            for lie in Self.orderedSubsets(of: truth) where lie != truth {
                var seekers = generated.seekers
                seekers[index].choices = lie
                let outcome = try DeferredAcceptance.match(seekers: seekers, offers: generated.offers)
                let got = outcome.placements.first { $0.seekerID == seeker.id }.map { truth.firstIndex(of: $0.offerID)! } ?? .max
                #expect(got >= honest, "\(seeker.id) lied \(lie) instead of \(truth), seed \(seed)")
            }
        }
    }

    @Test(arguments: 0..<50 as Range<UInt64>)
    func sameInputGivesTheSameMatchingInAnyRecordOrder(seed: UInt64) throws {
        var random = SplitMix64(state: 9_000 + seed)
        let generated = RandomInstance(seekers: random.between(0, 80), offers: random.between(1, 25), maxChoices: 8,
                                       noise: true, using: &random)
        let first = try DeferredAcceptance.match(seekers: generated.seekers, offers: generated.offers)
        #expect(try DeferredAcceptance.match(seekers: generated.seekers, offers: generated.offers) == first)
        var seekers = generated.seekers, offers = generated.offers
        random.shuffle(&seekers)
        random.shuffle(&offers)
        let shuffled = try DeferredAcceptance.match(seekers: seekers, offers: offers)
        #expect(shuffled == first)
        #expect(Fixture.placed(shuffled) == Fixture.placed(first))
        #expect(first.placements.map(\.seekerID) == first.placements.map(\.seekerID).sorted())
    }

    /// How the seeker ranks their partner in `matching`: their list position, or .max unplaced.
    func rank(_ matching: Matching, _ seeker: Int, _ instance: MatchingInstance) -> Int {
        matching.offer(of: seeker).flatMap { instance.seekerRank(of: $0, by: seeker) } ?? .max
    }

    /// Every ordering of every subset of `items` (65 for four items).
    static func orderedSubsets(of items: [String]) -> [[String]] {
        var result: [[String]] = [[]]
        for (index, item) in items.enumerated() {
            var rest = items
            rest.remove(at: index)
            result += orderedSubsets(of: rest).map { [item] + $0 }
        }
        return result
    }
}
