extension MatchingInstance {
    /// A host's offer as the matcher sees it.
    public struct Offer: Sendable, Equatable {
        /// The offer's id; unique among offers.
        public var id: String
        /// How many seekers the host takes (1–3 in the programme; 0 takes nobody).
        public var capacity: Int
        /// Seeker ids, best first. A seeker the host did not rank is unacceptable to it; unknown
        /// seekers and repeats are dropped (the first occurrence counts).
        public var ranking: [String]

        /// Creates an offer.
        /// - Parameters:
        ///   - id: The offer's id.
        ///   - capacity: How many seekers it takes.
        ///   - ranking: Acceptable seeker ids, best first.
        public init(id: String, capacity: Int, ranking: [String]) {
            self.id = id
            self.capacity = capacity
            self.ranking = ranking
        }
    }
}
