import COIPlacements
import Foundation

/// A placement season at scale: every seeker ranks `choices` distinct offers drawn with Zipf-like
/// popularity (weight 1/(k+1)^skew for the k-th most popular offer), so a few offers draw thousands
/// of applicants and most draw a handful; each host ranks its applicants in random order and leaves
/// out about one in twenty as unacceptable; capacities are 1–3.
struct Generator {
    var seekers: Int
    var offers: Int
    var choices: Int
    var skew: Double
    var seed: UInt64

    func generate() -> (seekers: [MatchingInstance.Seeker], offers: [MatchingInstance.Offer]) {
        var random = SplitMix64(state: seed)
        var cumulative = [Double](repeating: 0, count: offers)
        var total = 0.0
        for offer in 0..<offers {
            total += 1 / pow(Double(offer + 1), skew)
            cumulative[offer] = total
        }
        var applicants = [[Int]](repeating: [], count: offers)
        var seekerRecords: [MatchingInstance.Seeker] = []
        seekerRecords.reserveCapacity(seekers)
        for seeker in 0..<seekers {
            var picked: [Int] = []
            while picked.count < min(choices, offers) {
                let target = random.unit() * total
                let offer = min(offers - 1, lowerBound(cumulative, target))
                if !picked.contains(offer) { picked.append(offer) }
            }
            for offer in picked { applicants[offer].append(seeker) }
            seekerRecords.append(MatchingInstance.Seeker(id: Self.seekerID(seeker), choices: picked.map(Self.offerID)))
        }
        let offerRecords = (0..<offers).map { offer in
            var ranking = applicants[offer].filter { _ in random.below(20) != 0 }
            random.shuffle(&ranking)
            return MatchingInstance.Offer(id: Self.offerID(offer), capacity: 1 + random.below(3),
                                          ranking: ranking.map(Self.seekerID))
        }
        return (seekerRecords, offerRecords)
    }

    static func seekerID(_ index: Int) -> String { "seeker-\(index)" }
    static func offerID(_ index: Int) -> String { "offer-\(index)" }

    /// The first index whose cumulative weight exceeds `target`.
    private func lowerBound(_ cumulative: [Double], _ target: Double) -> Int {
        var low = 0, high = cumulative.count
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] <= target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
