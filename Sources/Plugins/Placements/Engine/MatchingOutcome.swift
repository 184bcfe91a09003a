/// A matching reported by id, as the plugin stores and shows it.
public struct MatchingOutcome: Sendable, Equatable {
    /// A seeker placed at an offer.
    public struct Placement: Sendable, Equatable {
        /// The seeker's id.
        public var seekerID: String
        /// The offer's id.
        public var offerID: String
        /// Where the seeker listed the offer, 1 for their first choice (0 when they did not list it,
        /// possible only after an admin's adjustment).
        public var choice: Int
        /// Where the host ranked the seeker, 1 for its favourite (0 when it did not rank them).
        public var hostRank: Int
    }

    /// A seeker left without a placement.
    public struct Unplaced: Sendable, Equatable {
        /// The seeker's id.
        public var seekerID: String
        /// Why they have no placement.
        public var reason: UnmatchedReason
    }

    /// Placements, sorted by seeker id.
    public var placements: [Placement]
    /// Unplaced seekers, sorted by seeker id.
    public var unplaced: [Unplaced]

    /// Reports `matching` by id.
    ///
    /// An unplaced eligible seeker is `noAcceptableOffer` unless some offer they listed also ranks
    /// them, in which case it is `allFull`: in a stable matching such an offer must be full with
    /// seekers its host ranked higher (an offer with capacity 0 counts as full).
    /// - Parameters:
    ///   - instance: The instance.
    ///   - matching: A matching of it (the matcher's, or an adjusted one).
    public init(instance: MatchingInstance, matching: Matching) {
        placements = []
        unplaced = []
        // Seeker indices follow sorted ids, so index order is id order.
        for seeker in 0..<instance.seekerCount {
            let id = instance.seekerIDs[seeker]
            if let offer = matching.offer(of: seeker) {
                placements.append(Placement(seekerID: id, offerID: instance.offerIDs[offer],
                                            choice: instance.seekerRank(of: offer, by: seeker).map { $0 + 1 } ?? 0,
                                            hostRank: instance.hostRank(of: seeker, by: offer).map { $0 + 1 } ?? 0))
            } else if !instance.eligible[seeker] {
                unplaced.append(Unplaced(seekerID: id, reason: .noApproval))
            } else {
                unplaced.append(Unplaced(seekerID: id, reason: instance.hasAcceptableChoice(seeker) ? .allFull : .noAcceptableOffer))
            }
        }
    }

    /// Offer id → its seekers' ids (sorted), for offers with at least one placement.
    public var seekersByOffer: [String: [String]] {
        Dictionary(grouping: placements, by: \.offerID).mapValues { $0.map(\.seekerID) }
    }
}
