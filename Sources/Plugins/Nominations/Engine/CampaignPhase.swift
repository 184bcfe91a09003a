/// A campaign's phases, in the order a campaign goes through them.
public enum CampaignPhase: Int, Sendable, CaseIterable, Comparable {
    case draft = 1
    case nominationsOpen = 2
    case screening = 3
    case jury = 4
    case resultsPublished = 5
    case archived = 6

    /// The name used in errors and the API, e.g. "NOMINATIONS_OPEN".
    public var name: String {
        switch self {
        case .draft: "DRAFT"
        case .nominationsOpen: "NOMINATIONS_OPEN"
        case .screening: "SCREENING"
        case .jury: "JURY"
        case .resultsPublished: "RESULTS_PUBLISHED"
        case .archived: "ARCHIVED"
        }
    }

    public static func < (lhs: CampaignPhase, rhs: CampaignPhase) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Which phase is current: the admin's last choice, moved forward by scheduled dates passed since.
///
/// A campaign stores the phase an admin (or creation) last set and when. A scheduled date changes
/// the phase once it has passed, if it passed after that setting and names a later phase: dates
/// only move a campaign forward, so an admin who reopens nominations is not overruled by a date
/// already behind them, and the next date still applies. Timestamps are `Timestamp` text, which
/// sorts as time does.
public enum PhaseClock {
    /// The current phase and since when.
    /// - Parameters:
    ///   - set: The phase last set by an admin (or at creation).
    ///   - setAt: When it was set; "" when nobody set it (a new campaign), so every passed date applies.
    ///   - schedule: Dated phase starts.
    ///   - now: The current time.
    /// - Returns: The phase and the time it began.
    public static func current(set: CampaignPhase, setAt: String, schedule: [(phase: CampaignPhase, startsAt: String)],
                               now: String) -> (phase: CampaignPhase, since: String) {
        var result = (phase: set, since: setAt)
        for entry in schedule where entry.startsAt > setAt && entry.startsAt <= now && entry.phase > result.phase {
            result = (entry.phase, entry.startsAt)
        }
        return result
    }
}
