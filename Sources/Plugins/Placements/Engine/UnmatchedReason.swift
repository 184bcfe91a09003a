/// Why a seeker has no placement after the matching.
public enum UnmatchedReason: String, Sendable, CaseIterable {
    /// The home manager has not approved, so the seeker took no part.
    case noApproval
    /// No offer the seeker chose ranked them (or they chose none): nothing could be done.
    case noAcceptableOffer
    /// Offers that accept the seeker exist, but each is full with applicants the host ranked higher.
    /// In a stable matching this is the only other way to stay unplaced.
    case allFull
}
