extension MatchingInstance {
    /// A placement seeker as the matcher sees them.
    public struct Seeker: Sendable, Equatable {
        /// The seeker's id (their application or account id); unique among seekers.
        public var id: String
        /// Offer ids, most wanted first. Unknown offers and repeats are dropped (the first
        /// occurrence counts), so a withdrawn offer left in a list does no harm.
        public var choices: [String]
        /// Whether the seeker may be placed: false while their home manager has not approved. An
        /// ineligible seeker takes no part in the matching and is reported as `noApproval`.
        public var eligible: Bool

        /// Creates a seeker.
        /// - Parameters:
        ///   - id: The seeker's id.
        ///   - choices: Offer ids, most wanted first.
        ///   - eligible: Whether the home manager approved (default true).
        public init(id: String, choices: [String], eligible: Bool = true) {
            self.id = id
            self.choices = choices
            self.eligible = eligible
        }
    }
}
