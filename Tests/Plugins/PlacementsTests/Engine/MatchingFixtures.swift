@testable import COIPlacements

/// Short constructors for hand-made instances.
enum Fixture {
    static func seeker(_ id: String, _ choices: String..., eligible: Bool = true) -> MatchingInstance.Seeker {
        MatchingInstance.Seeker(id: id, choices: choices, eligible: eligible)
    }

    static func offer(_ id: String, capacity: Int = 1, _ ranking: String...) -> MatchingInstance.Offer {
        MatchingInstance.Offer(id: id, capacity: capacity, ranking: ranking)
    }

    /// Seeker id → offer id.
    static func placed(_ outcome: MatchingOutcome) -> [String: String] {
        Dictionary(uniqueKeysWithValues: outcome.placements.map { ($0.seekerID, $0.offerID) })
    }

    /// Seeker id → reason.
    static func reasons(_ outcome: MatchingOutcome) -> [String: UnmatchedReason] {
        Dictionary(uniqueKeysWithValues: outcome.unplaced.map { ($0.seekerID, $0.reason) })
    }

    /// A matching given by ids, for checks.
    static func matching(_ placements: [String: String], _ instance: MatchingInstance) -> Matching {
        Matching(placements: placements, in: instance)!
    }
}
