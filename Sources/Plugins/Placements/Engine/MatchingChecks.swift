/// Checks of any matching against its instance: the matcher's result in tests, an admin's adjusted
/// placements before they are saved.
public enum MatchingChecks {
    /// A seeker and an offer, by index.
    public struct Pair: Sendable, Hashable {
        /// The seeker's index.
        public var seeker: Int
        /// The offer's index.
        public var offer: Int
        /// Creates a pair.
        public init(seeker: Int, offer: Int) {
            self.seeker = seeker
            self.offer = offer
        }
    }

    /// Pairs that would both rather be together than keep what the matching gave them.
    ///
    /// `(s, o)` blocks when they are mutually acceptable, `s` is unplaced or listed `o` above their
    /// offer, and `o` has a free place or holds someone its host ranked below `s`. A seeker placed
    /// at an offer they did not list prefers every offer they did, and a host prefers every seeker it
    /// ranked to one it did not. A matching without blocking pairs (and within capacities, and of
    /// mutually acceptable pairs only) is stable.
    /// - Parameters:
    ///   - matching: The matching to check.
    ///   - instance: Its instance.
    /// - Returns: The blocking pairs by seeker index, each seeker's in their preference order.
    public static func blockingPairs(_ matching: Matching, in instance: MatchingInstance) -> [Pair] {
        var count = [Int](repeating: 0, count: instance.offerCount)
        var worstRank = [Int](repeating: -1, count: instance.offerCount)
        for seeker in 0..<instance.seekerCount {
            guard let offer = matching.offer(of: seeker) else { continue }
            count[offer] += 1
            worstRank[offer] = max(worstRank[offer], instance.hostRank(of: seeker, by: offer) ?? .max)
        }
        var pairs: [Pair] = []
        for seeker in 0..<instance.seekerCount where instance.eligible[seeker] {
            let current = matching.offer(of: seeker).flatMap { instance.seekerRank(of: $0, by: seeker) } ?? .max
            for (position, edge) in (instance.choiceStart[seeker]..<instance.choiceStart[seeker + 1]).enumerated() {
                guard position < current else { break }
                let offer = instance.choiceOffer[edge], rank = instance.choiceHostRank[edge]
                if rank >= 0 && (count[offer] < instance.capacities[offer] || rank < worstRank[offer]) {
                    pairs.append(Pair(seeker: seeker, offer: offer))
                }
            }
        }
        return pairs
    }

    /// Offers holding more seekers than their capacity, by index.
    public static func overfilledOffers(_ matching: Matching, in instance: MatchingInstance) -> [Int] {
        var count = [Int](repeating: 0, count: instance.offerCount)
        for case let offer? in (0..<instance.seekerCount).map(matching.offer(of:)) { count[offer] += 1 }
        return (0..<instance.offerCount).filter { count[$0] > instance.capacities[$0] }
    }

    /// Placements of pairs that are not mutually acceptable (an ineligible seeker, an offer the
    /// seeker did not list, or a seeker the host did not rank), by seeker index.
    public static func unacceptablePlacements(_ matching: Matching, in instance: MatchingInstance) -> [Pair] {
        (0..<instance.seekerCount).compactMap { seeker in
            guard let offer = matching.offer(of: seeker), !instance.isMutuallyAcceptable(seeker: seeker, offer: offer) else { return nil }
            return Pair(seeker: seeker, offer: offer)
        }
    }

    /// Whether the matching is stable: within capacities, of mutually acceptable pairs, unblocked.
    public static func isStable(_ matching: Matching, in instance: MatchingInstance) -> Bool {
        overfilledOffers(matching, in: instance).isEmpty && unacceptablePlacements(matching, in: instance).isEmpty
            && blockingPairs(matching, in: instance).isEmpty
    }
}
