import ArgumentParser
import COIProto

/// `coictl nominations …`: campaigns, nominations, screening, moderation, juries, results, idea
/// storms, exports and the event feed of the coi.nominations plugin.
struct Nominations: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Denmark's Best Smallest Idea, the copycat prize and idea storms.",
        discussion: """
            --json prints the proto3 JSON mapping with the .proto's field names, every field shown even at \
            its default (0, false, ""); lists print one object per line.
            """,
        subcommands: [Campaigns.self, Submit.self, List.self, Show.self, Edit.self, Withdraw.self, Consent.self, Screen.self,
                      Endorse.self, Report.self, Reports.self, Restore.self, Hide.self, Audience.self, Jurors.self, Conflict.self, Assignments.self,
                      Score.self, Scores.self, Results.self, Storms.self, Export.self, Feed.self])

    enum KindArgument: String, ExpressibleByArgument, CaseIterable {
        case idea, copycat
        var proto: Coi_Nominations_V1_CampaignKind { self == .idea ? .ideaAward : .copycatAward }
    }

    enum PhaseArgument: String, ExpressibleByArgument, CaseIterable {
        case draft, open, screening, jury, published, archived
        var proto: Coi_Nominations_V1_Phase {
            switch self {
            case .draft: .draft
            case .open: .nominationsOpen
            case .screening: .screening
            case .jury: .jury
            case .published: .resultsPublished
            case .archived: .archived
            }
        }
    }

    enum StateArgument: String, ExpressibleByArgument, CaseIterable {
        case submitted, eligible, ineligible, shortlisted, regionalWinner = "regional-winner", nationalWinner = "national-winner"
        case notSelected = "not-selected", withdrawn
        var proto: Coi_Nominations_V1_NominationState {
            switch self {
            case .submitted: .submitted
            case .eligible: .eligible
            case .ineligible: .ineligible
            case .shortlisted: .shortlisted
            case .regionalWinner: .regionalWinner
            case .nationalWinner: .nationalWinner
            case .notSelected: .notSelected
            case .withdrawn: .withdrawn
            }
        }
    }

    /// "phase=time" pairs for --schedule, e.g. open=2026-03-01.
    static func schedule(_ entries: [String]) throws -> [Coi_Nominations_V1_PhaseDate] {
        try entries.map { entry in
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let phase = PhaseArgument(rawValue: parts[0]) else {
                throw ValidationError("--schedule \(entry): write PHASE=TIME with PHASE one of open, screening, jury, published, archived")
            }
            return .with {
                $0.phase = phase.proto
                $0.startsAt = parts[1]
            }
        }
    }

    /// "key:weight[:name]" for --criterion.
    static func criteria(_ entries: [String]) throws -> [Coi_Nominations_V1_Criterion] {
        try entries.map { entry in
            let parts = entry.split(separator: ":", maxSplits: 2).map(String.init)
            guard parts.count >= 2, let weight = Double(parts[1]) else {
                throw ValidationError("--criterion \(entry): write KEY:WEIGHT or KEY:WEIGHT:NAME, e.g. value:2:Value created")
            }
            return .with {
                $0.key = parts[0]
                $0.weight = weight
                $0.name = parts.count > 2 ? parts[2] : ""
            }
        }
    }
}
