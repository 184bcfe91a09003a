import COIProto

/// A season's phases in order (raw values are the proto's).
enum SeasonPhase: Int, Comparable, CaseIterable, Sendable {
    case draft = 1, offersOpen, applicationsOpen, matching, matched, confirmed, completed, archived

    /// The proto enum value.
    var proto: Coi_Placements_V1_Phase { Coi_Placements_V1_Phase(rawValue: rawValue) ?? .unspecified }

    /// The proto's name, for messages and the feed.
    var name: String {
        switch self {
        case .draft: "DRAFT"
        case .offersOpen: "OFFERS_OPEN"
        case .applicationsOpen: "APPLICATIONS_OPEN"
        case .matching: "MATCHING"
        case .matched: "MATCHED"
        case .confirmed: "CONFIRMED"
        case .completed: "COMPLETED"
        case .archived: "ARCHIVED"
        }
    }

    static func < (lhs: SeasonPhase, rhs: SeasonPhase) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The phase a season is in: the one an admin (or the matching) set, moved on by every scheduled
    /// date that passed after it was set. Dates only move a season forward, and never past MATCHED
    /// into CONFIRMED or COMPLETED unless it was matched: an unmatched season has nothing to confirm.
    /// - Parameters:
    ///   - set: The phase last set (DRAFT at creation).
    ///   - setAt: When it was set ("" at creation, so every date applies).
    ///   - schedule: Scheduled phases with their start times.
    ///   - now: The current time.
    /// - Returns: The phase and since when.
    static func current(set: SeasonPhase, setAt: String, schedule: [(phase: SeasonPhase, startsAt: String)],
                        now: String) -> (phase: SeasonPhase, since: String) {
        var phase = set, since = setAt
        for entry in schedule.sorted(by: { $0.startsAt < $1.startsAt })
        where entry.startsAt <= now && entry.startsAt > setAt && entry.phase > phase {
            if entry.phase >= .confirmed && phase < .matched { continue }
            phase = entry.phase
            since = entry.startsAt
        }
        return (phase, since)
    }
}
