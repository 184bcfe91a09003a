/// Seeker-proposing deferred acceptance (Gale–Shapley for hospitals/residents, Roth 1984).
///
/// Each free seeker proposes to the next offer on their list; the offer holds its best applicants up
/// to capacity and rejects the rest, and a rejected seeker moves on. Nothing is final until nobody
/// is left to propose. The result is stable (no seeker and host who both prefer each other to what
/// they got), seeker-optimal (every seeker gets the best offer they have in any stable matching),
/// and strategy-proof for seekers: ranking offers truthfully is always best for them.
///
/// The seeker-optimal stable matching is unique, so the order in which free seekers propose cannot
/// change the result; a fixed order (by index) still keeps every run identical step by step.
public enum DeferredAcceptance {
    /// The seeker-optimal stable matching of `instance`.
    ///
    /// Runs in O(proposals × capacity): each seeker proposes at most once along each of their edges.
    public static func match(_ instance: MatchingInstance) -> Matching {
        let seekers = instance.seekerCount, offers = instance.offerCount
        let choiceStart = instance.choiceStart, choiceOffer = instance.choiceOffer, hostRank = instance.choiceHostRank
        let capacities = instance.capacities
        // Offer o holds up to capacities[o] seekers in held[heldStart[o]...], with their host ranks
        // alongside so finding the one to bump needs no lookup.
        var heldStart = [Int](repeating: 0, count: offers + 1)
        for offer in 0..<offers { heldStart[offer + 1] = heldStart[offer] + capacities[offer] }
        var held = [Int](repeating: -1, count: heldStart[offers])
        var heldRank = [Int](repeating: 0, count: heldStart[offers])
        var heldCount = [Int](repeating: 0, count: offers)
        var next = Array(choiceStart.dropLast())
        // Popped from the end: seeker 0 proposes first.
        var free = (0..<seekers).reversed().filter { instance.eligible[$0] }

        while var seeker = free.popLast() {
            // One proposal round per loop turn: the proposer is either held, or bumps someone who
            // then proposes in their place, or runs out of choices.
            proposing: while next[seeker] < choiceStart[seeker + 1] {
                let edge = next[seeker]
                next[seeker] += 1
                let rank = hostRank[edge]
                guard rank >= 0 else { continue }
                let offer = choiceOffer[edge], base = heldStart[offer]
                if heldCount[offer] < capacities[offer] {
                    held[base + heldCount[offer]] = seeker
                    heldRank[base + heldCount[offer]] = rank
                    heldCount[offer] += 1
                    break proposing
                }
                guard capacities[offer] > 0 else { continue }
                var worst = base
                for slot in base..<(base + capacities[offer]) where heldRank[slot] > heldRank[worst] { worst = slot }
                guard rank < heldRank[worst] else { continue }
                let bumped = held[worst]
                held[worst] = seeker
                heldRank[worst] = rank
                seeker = bumped
            }
        }

        var matching = Matching(seekers: seekers)
        for offer in 0..<offers {
            for slot in heldStart[offer]..<(heldStart[offer] + heldCount[offer]) { matching.place(held[slot], at: offer) }
        }
        return matching
    }

    /// Matches records and reports the result by id.
    /// - Parameters:
    ///   - seekers: The seekers, in any order.
    ///   - offers: The offers, in any order.
    /// - Returns: Placements and unplaced seekers with reasons, sorted by seeker id.
    /// - Throws: `MatchingInstance.InputError` for repeated ids or a negative capacity.
    public static func match(seekers: [MatchingInstance.Seeker], offers: [MatchingInstance.Offer]) throws(MatchingInstance.InputError)
        -> MatchingOutcome {
        let instance = try MatchingInstance(seekers: seekers, offers: offers)
        return MatchingOutcome(instance: instance, matching: match(instance))
    }
}
