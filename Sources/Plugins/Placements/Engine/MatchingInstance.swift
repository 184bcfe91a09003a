/// A placement matching problem in index form: seekers and offers are numbered by sorted id, and
/// preferences are flat arrays, so the matcher's hot loop touches no strings or dictionaries.
///
/// Numbering by sorted id rather than by input position makes everything derived from an instance
/// (the matching, the order of reports) independent of the order the caller listed records in.
///
/// A seeker `s` and an offer `o` are *mutually acceptable* when `s` is eligible, lists `o`, and `o`
/// ranks `s`; only such pairs can be matched or block a matching.
public struct MatchingInstance: Sendable {
    /// Why records cannot form an instance.
    public enum InputError: Error, Equatable, Sendable {
        /// Two seekers have this id.
        case duplicateSeeker(String)
        /// Two offers have this id.
        case duplicateOffer(String)
        /// This offer's capacity is below 0.
        case negativeCapacity(offer: String)
    }

    /// Seeker ids in index order (sorted).
    public let seekerIDs: [String]
    /// Offer ids in index order (sorted).
    public let offerIDs: [String]
    /// Per seeker: whether they take part (home manager approved).
    public let eligible: [Bool]
    /// Per offer: how many seekers it takes.
    public let capacities: [Int]

    // Seeker s's choices are choiceOffer[choiceStart[s]..<choiceStart[s + 1]], best first; the
    // host's rank of s for the same edge is in choiceHostRank (-1: the host did not rank s). Keeping
    // the host's rank on the seeker's edge is what lets a proposal be decided in O(1).
    let choiceStart: [Int]
    let choiceOffer: [Int]
    let choiceHostRank: [Int]
    // Offer o's ranking is rankingSeeker[rankingStart[o]..<rankingStart[o + 1]], best first.
    let rankingStart: [Int]
    let rankingSeeker: [Int]
    private let seekerIndices: [String: Int]
    private let offerIndices: [String: Int]

    /// Builds an instance from records in any order.
    /// - Parameters:
    ///   - seekers: The seekers; ids must be unique.
    ///   - offers: The offers; ids must be unique, capacities not negative.
    /// - Throws: `InputError` for a repeated id or a negative capacity.
    public init(seekers: [Seeker], offers: [Offer]) throws(InputError) {
        let seekerOrder = seekers.indices.sorted { seekers[$0].id < seekers[$1].id }
        let offerOrder = offers.indices.sorted { offers[$0].id < offers[$1].id }
        seekerIDs = seekerOrder.map { seekers[$0].id }
        offerIDs = offerOrder.map { offers[$0].id }
        for index in seekerIDs.indices.dropFirst() where seekerIDs[index] == seekerIDs[index - 1] {
            throw .duplicateSeeker(seekerIDs[index])
        }
        for index in offerIDs.indices.dropFirst() where offerIDs[index] == offerIDs[index - 1] {
            throw .duplicateOffer(offerIDs[index])
        }
        if let offer = offerOrder.first(where: { offers[$0].capacity < 0 }) { throw .negativeCapacity(offer: offers[offer].id) }
        eligible = seekerOrder.map { seekers[$0].eligible }
        capacities = offerOrder.map { offers[$0].capacity }
        seekerIndices = Dictionary(uniqueKeysWithValues: zip(seekerIDs, seekerIDs.indices))
        offerIndices = Dictionary(uniqueKeysWithValues: zip(offerIDs, offerIDs.indices))

        (rankingStart, rankingSeeker) = Self.flatten(offerOrder.map { offers[$0].ranking }, index: seekerIndices,
                                                     universe: seekerIDs.count)
        (choiceStart, choiceOffer) = Self.flatten(seekerOrder.map { seekers[$0].choices }, index: offerIndices,
                                                  universe: offerIDs.count)
        choiceHostRank = Self.hostRanks(choiceStart: choiceStart, choiceOffer: choiceOffer, rankingStart: rankingStart,
                                        rankingSeeker: rankingSeeker, seekers: seekerIDs.count)
    }

    /// Builds an instance from input already in index form, as the store reads it: no string is
    /// hashed or compared per preference, which is what dominated reading a large season.
    /// - Parameters:
    ///   - seekerIDs: Seeker ids, sorted ascending and unique (the index order).
    ///   - eligible: Per seeker, whether they take part.
    ///   - offerIDs: Offer ids, sorted ascending and unique.
    ///   - capacities: Per offer, its capacity (not negative).
    ///   - choiceStart: Seeker s's choices are `choiceOffer[choiceStart[s]..<choiceStart[s + 1]]`, best first
    ///     (`seekerIDs.count + 1` entries).
    ///   - choiceOffer: Offer indices, without repeats within a seeker's list.
    ///   - rankingStart: Offer o's ranking is `rankingSeeker[rankingStart[o]..<rankingStart[o + 1]]`, best first.
    ///   - rankingSeeker: Seeker indices, without repeats within an offer's ranking.
    /// - Returns: nil when the input is not in that form (unsorted or repeated ids, indices out of
    ///   range, wrong offsets); callers then use `init(seekers:offers:)`.
    public init?(seekerIDs: [String], eligible: [Bool], offerIDs: [String], capacities: [Int], choiceStart: [Int], choiceOffer: [Int],
                 rankingStart: [Int], rankingSeeker: [Int]) {
        guard eligible.count == seekerIDs.count, capacities.count == offerIDs.count, capacities.allSatisfy({ $0 >= 0 }),
              choiceStart.count == seekerIDs.count + 1, rankingStart.count == offerIDs.count + 1,
              choiceStart.first == 0, choiceStart.last == choiceOffer.count, rankingStart.first == 0, rankingStart.last == rankingSeeker.count,
              zip(choiceStart, choiceStart.dropFirst()).allSatisfy({ $0 <= $1 }),
              zip(rankingStart, rankingStart.dropFirst()).allSatisfy({ $0 <= $1 }),
              zip(seekerIDs, seekerIDs.dropFirst()).allSatisfy({ $0 < $1 }), zip(offerIDs, offerIDs.dropFirst()).allSatisfy({ $0 < $1 }),
              choiceOffer.allSatisfy({ $0 >= 0 && $0 < offerIDs.count }), rankingSeeker.allSatisfy({ $0 >= 0 && $0 < seekerIDs.count })
        else { return nil }
        self.seekerIDs = seekerIDs
        self.offerIDs = offerIDs
        self.eligible = eligible
        self.capacities = capacities
        self.choiceStart = choiceStart
        self.choiceOffer = choiceOffer
        self.rankingStart = rankingStart
        self.rankingSeeker = rankingSeeker
        seekerIndices = Dictionary(uniqueKeysWithValues: zip(seekerIDs, seekerIDs.indices))
        offerIndices = Dictionary(uniqueKeysWithValues: zip(offerIDs, offerIDs.indices))
        choiceHostRank = Self.hostRanks(choiceStart: choiceStart, choiceOffer: choiceOffer, rankingStart: rankingStart,
                                        rankingSeeker: rankingSeeker, seekers: seekerIDs.count)
    }

    /// How many seekers there are.
    public var seekerCount: Int { seekerIDs.count }
    /// How many offers there are.
    public var offerCount: Int { offerIDs.count }

    /// The index of the seeker with this id.
    public func seekerIndex(of id: String) -> Int? { seekerIndices[id] }
    /// The index of the offer with this id.
    public func offerIndex(of id: String) -> Int? { offerIndices[id] }

    /// A seeker's choices as offer indices, best first (unknown offers and repeats dropped).
    public func choices(of seeker: Int) -> ArraySlice<Int> { choiceOffer[choiceStart[seeker]..<choiceStart[seeker + 1]] }
    /// An offer's ranking as seeker indices, best first (unknown seekers and repeats dropped).
    public func ranking(of offer: Int) -> ArraySlice<Int> { rankingSeeker[rankingStart[offer]..<rankingStart[offer + 1]] }

    /// Where the seeker put the offer: 0 for their first choice; nil when they did not list it.
    public func seekerRank(of offer: Int, by seeker: Int) -> Int? {
        choices(of: seeker).firstIndex(of: offer).map { $0 - choiceStart[seeker] }
    }

    /// Where the host put the seeker: 0 for its favourite; nil when it did not rank them.
    public func hostRank(of seeker: Int, by offer: Int) -> Int? {
        // The seeker's short list usually has the answer; a host's ranking can be long.
        if let edge = edge(seeker: seeker, offer: offer) { return choiceHostRank[edge] >= 0 ? choiceHostRank[edge] : nil }
        return ranking(of: offer).firstIndex(of: seeker).map { $0 - rankingStart[offer] }
    }

    /// Whether the pair may be matched: the seeker is eligible and each lists the other.
    public func isMutuallyAcceptable(seeker: Int, offer: Int) -> Bool {
        guard eligible[seeker], let edge = edge(seeker: seeker, offer: offer) else { return false }
        return choiceHostRank[edge] >= 0
    }

    /// Whether some offer the seeker listed ranks them (eligibility aside).
    public func hasAcceptableChoice(_ seeker: Int) -> Bool {
        choiceHostRank[choiceStart[seeker]..<choiceStart[seeker + 1]].contains { $0 >= 0 }
    }

    /// The position in the flat choice arrays of the seeker's choice of `offer`.
    func edge(seeker: Int, offer: Int) -> Int? {
        choiceOffer[choiceStart[seeker]..<choiceStart[seeker + 1]].firstIndex(of: offer)
    }

    /// Turns id lists into one flat array of indices with start offsets, dropping unknown ids and
    /// repeats; `seen` remembers which list last took an index so repeats cost O(1) to find.
    private static func flatten(_ lists: [[String]], index: [String: Int], universe: Int) -> (start: [Int], items: [Int]) {
        var start = [Int]()
        start.reserveCapacity(lists.count + 1)
        var items = [Int]()
        items.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        var seen = [Int](repeating: -1, count: universe)
        for (owner, list) in lists.enumerated() {
            start.append(items.count)
            for id in list {
                guard let item = index[id], seen[item] != owner else { continue }
                seen[item] = owner
                items.append(item)
            }
        }
        start.append(items.count)
        return (start, items)
    }

    /// The host's rank for every seeker → offer edge: edges are grouped by offer (a counting sort),
    /// then each offer's ranking is laid into a per-seeker scratch table once and read by its edges.
    private static func hostRanks(choiceStart: [Int], choiceOffer: [Int], rankingStart: [Int], rankingSeeker: [Int],
                                  seekers: Int) -> [Int] {
        let offers = rankingStart.count - 1
        var incomingStart = [Int](repeating: 0, count: offers + 1)
        for offer in choiceOffer { incomingStart[offer + 1] += 1 }
        for offer in 0..<offers { incomingStart[offer + 1] += incomingStart[offer] }
        var fill = incomingStart
        var incomingEdge = [Int](repeating: 0, count: choiceOffer.count)
        var edgeSeeker = [Int](repeating: 0, count: choiceOffer.count)
        for seeker in 0..<seekers {
            for edge in choiceStart[seeker]..<choiceStart[seeker + 1] {
                incomingEdge[fill[choiceOffer[edge]]] = edge
                fill[choiceOffer[edge]] += 1
                edgeSeeker[edge] = seeker
            }
        }
        var ranks = [Int](repeating: -1, count: choiceOffer.count)
        var rankOf = [Int](repeating: 0, count: seekers)
        var stamp = [Int](repeating: -1, count: seekers)
        for offer in 0..<offers {
            for position in rankingStart[offer]..<rankingStart[offer + 1] {
                rankOf[rankingSeeker[position]] = position - rankingStart[offer]
                stamp[rankingSeeker[position]] = offer
            }
            for slot in incomingStart[offer]..<incomingStart[offer + 1] {
                let edge = incomingEdge[slot]
                if stamp[edgeSeeker[edge]] == offer { ranks[edge] = rankOf[edgeSeeker[edge]] }
            }
        }
        return ranks
    }
}
