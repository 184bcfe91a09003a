@testable import COIPlacements

/// Random matching problems for property tests, drawn from a `SplitMix64`.
///
/// Hosts rank a random subset of their applicants in random order, sometimes also seekers who did
/// not apply (ignored by the matcher: only mutual acceptability counts); some seekers are not
/// approved, some list nothing, some capacities are 0; with `noise`, lists also carry unknown ids
/// and repeats, which the instance must drop.
struct RandomInstance {
    var seekers: [MatchingInstance.Seeker]
    var offers: [MatchingInstance.Offer]

    init(seekers seekerCount: Int, offers offerCount: Int, maxChoices: Int, noise: Bool = false, using random: inout SplitMix64) {
        let offerIDs = (0..<offerCount).map { "o\($0)" }
        let seekerIDs = (0..<seekerCount).map { "s\($0)" }
        var applicants = [[String]](repeating: [], count: offerCount)
        seekers = seekerIDs.map { id in
            let picked = random.sample(random.between(0, min(maxChoices, offerCount)), from: offerCount)
            for offer in picked { applicants[offer].append(id) }
            var choices = picked.map { offerIDs[$0] }
            if noise && random.chance(1, in: 5) { choices.insert("withdrawn-offer", at: random.below(choices.count + 1)) }
            if noise && !choices.isEmpty && random.chance(1, in: 5) { choices.append(choices[random.below(choices.count)]) }
            return MatchingInstance.Seeker(id: id, choices: choices, eligible: !random.chance(1, in: 12))
        }
        offers = offerIDs.indices.map { offer in
            var ranking = applicants[offer].filter { _ in !random.chance(1, in: 6) }
            if !seekerIDs.isEmpty && random.chance(1, in: 4) { ranking.append(seekerIDs[random.below(seekerIDs.count)]) }
            random.shuffle(&ranking)
            // Shuffling may put an outsider first; a repeat of someone already there must be dropped.
            if noise && random.chance(1, in: 5) { ranking.append("unknown-seeker") }
            if noise && !ranking.isEmpty && random.chance(1, in: 5) { ranking.append(ranking[random.below(ranking.count)]) }
            let capacity = random.chance(1, in: 15) ? 0 : random.between(1, 3)
            return MatchingInstance.Offer(id: offerIDs[offer], capacity: capacity, ranking: ranking)
        }
    }

    /// The instance (random instances never repeat ids, so this throws only on a bug).
    func instance() throws -> MatchingInstance {
        try MatchingInstance(seekers: seekers, offers: offers)
    }
}
