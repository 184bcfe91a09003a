/// Every stable matching of a small instance, found by trying every assignment.
///
/// Exponential — (choices + 1)^seekers assignments — so only for tests and tiny instances: it shares
/// no logic with `DeferredAcceptance` beyond `MatchingChecks`, which makes it an independent witness
/// that the matcher's result is stable and that no stable matching serves any seeker better.
public enum StableMatchings {
    /// All stable matchings, ordered by their offer-per-seeker arrays (unplaced first).
    /// - Parameter instance: An instance with a handful of seekers.
    public static func all(in instance: MatchingInstance) -> [Matching] {
        var found: [Matching] = []
        var matching = Matching(seekers: instance.seekerCount)
        var free = instance.capacities
        extend(from: 0, &matching, &free, instance, into: &found)
        return found
    }

    /// Assigns seeker `seeker` each way it can be (unplaced, or at a mutually acceptable offer with
    /// room), then the next; only capacity-respecting, acceptable assignments are ever completed.
    private static func extend(from seeker: Int, _ matching: inout Matching, _ free: inout [Int], _ instance: MatchingInstance,
                               into found: inout [Matching]) {
        guard seeker < instance.seekerCount else {
            if MatchingChecks.blockingPairs(matching, in: instance).isEmpty { found.append(matching) }
            return
        }
        matching.place(seeker, at: nil)
        extend(from: seeker + 1, &matching, &free, instance, into: &found)
        let options = instance.choices(of: seeker).sorted().filter { instance.isMutuallyAcceptable(seeker: seeker, offer: $0) }
        for offer in options where free[offer] > 0 {
            free[offer] -= 1
            matching.place(seeker, at: offer)
            extend(from: seeker + 1, &matching, &free, instance, into: &found)
            free[offer] += 1
        }
        matching.place(seeker, at: nil)
    }
}
