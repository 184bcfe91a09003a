/// Who is placed where, by index into a `MatchingInstance`: each seeker at one offer or none.
///
/// Any assignment can be represented, not only stable ones, so that an admin's adjustments can be
/// checked with `MatchingChecks` before they are saved.
public struct Matching: Sendable, Equatable {
    /// Per seeker: the offer index, or -1 when unplaced. Flat so the matcher can update it in place.
    public private(set) var offerOfSeeker: [Int]

    /// An empty matching for `seekers` seekers.
    public init(seekers: Int) {
        offerOfSeeker = [Int](repeating: -1, count: seekers)
    }

    /// A matching from explicit offer indices (-1 for unplaced), one per seeker.
    public init(offerOfSeeker: [Int]) {
        self.offerOfSeeker = offerOfSeeker
    }

    /// A matching from ids, e.g. an admin's adjusted placements; nil if an id is unknown.
    /// - Parameters:
    ///   - placements: Seeker id → offer id; seekers left out are unplaced.
    ///   - instance: The instance the ids belong to.
    public init?(placements: [String: String], in instance: MatchingInstance) {
        self.init(seekers: instance.seekerCount)
        for (seekerID, offerID) in placements {
            guard let seeker = instance.seekerIndex(of: seekerID), let offer = instance.offerIndex(of: offerID) else { return nil }
            offerOfSeeker[seeker] = offer
        }
    }

    /// The seeker's offer, or nil.
    public func offer(of seeker: Int) -> Int? {
        offerOfSeeker[seeker] >= 0 ? offerOfSeeker[seeker] : nil
    }

    /// Places the seeker at `offer`, or unplaces them with nil.
    public mutating func place(_ seeker: Int, at offer: Int?) {
        offerOfSeeker[seeker] = offer ?? -1
    }

    /// Seekers per offer, each list in seeker index order.
    /// - Parameter offers: How many offers the instance has.
    public func seekersByOffer(offers: Int) -> [[Int]] {
        var lists = [[Int]](repeating: [], count: offers)
        for (seeker, offer) in offerOfSeeker.enumerated() where offer >= 0 { lists[offer].append(seeker) }
        return lists
    }

    /// How many seekers are placed.
    public var placedCount: Int { offerOfSeeker.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }
}
