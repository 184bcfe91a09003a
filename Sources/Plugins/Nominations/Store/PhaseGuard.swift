import COIPluginKit
import COIProto
import GRDB

/// What moving a campaign back to an earlier phase would undercut: the work done in the phases it
/// leaves. Named in the refusal, and in the audit entry of a forced move, so nobody reopens
/// nominations over a jury's sheets without seeing them. A forced move keeps the data: sheets,
/// decisions and nominations stay as they are, for the admin to deal with.
enum PhaseGuard {
    private typealias State = Coi_Nominations_V1_NominationState

    /// A description of the work done in the phases between `to` and `from`, e.g. "3 score sheets by
    /// 2 jurors and 5 screening decisions"; "nothing recorded yet" when there is none (the move is
    /// still refused without force: the campaign's participants were told it had moved on).
    /// - Parameters:
    ///   - db: A connection.
    ///   - campaignID: The campaign.
    ///   - from: The current phase.
    ///   - to: The earlier phase asked for.
    /// - Returns: The description.
    static func invalidated(_ db: Database, campaignID: String, from: CampaignPhase, to: CampaignPhase) throws -> String {
        var parts: [String] = []
        func count(_ sql: String, _ arguments: StatementArguments) throws -> Int { try Int.cachedOne(db, sql: sql, arguments: arguments) ?? 0 }
        if from >= .jury && to < .jury {
            let sheets = try count("SELECT COUNT(*) FROM nominations_scores WHERE campaign_id = ?", [campaignID])
            let jurors = try count("SELECT COUNT(DISTINCT juror_id) FROM nominations_scores WHERE campaign_id = ?", [campaignID])
            if sheets > 0 { parts.append("\(plural(sheets, "score sheet")) by \(plural(jurors, "juror"))") }
        }
        if from >= .screening && to < .screening {
            let decided = try count("SELECT COUNT(*) FROM nominations_nominations WHERE campaign_id = ? AND state IN (?, ?, ?)",
                                    [campaignID, State.eligible.rawValue, State.ineligible.rawValue, State.shortlisted.rawValue])
            if decided > 0 { parts.append(plural(decided, "screening decision")) }
        }
        if from >= .nominationsOpen && to < .nominationsOpen {
            let submitted = try count("SELECT COUNT(*) FROM nominations_nominations WHERE campaign_id = ? AND state != ?",
                                      [campaignID, State.withdrawn.rawValue])
            if submitted > 0 { parts.append("\(plural(submitted, "submitted nomination")) (a draft takes none)") }
        }
        switch parts.count {
        case 0: return "nothing recorded yet"
        case 1: return parts[0]
        default: return parts.dropLast().joined(separator: ", ") + " and " + parts.last!
        }
    }

    /// The phase as coictl writes it.
    static func argument(_ phase: CampaignPhase) -> String {
        switch phase {
        case .draft: "draft"
        case .nominationsOpen: "open"
        case .screening: "screening"
        case .jury: "jury"
        case .resultsPublished: "published"
        case .archived: "archived"
        }
    }

    private static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
