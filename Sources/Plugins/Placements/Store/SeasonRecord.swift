import COIPluginKit
import COIProto
import COIWire
import GRDB

/// A season as stored, with its phase computed from the schedule.
struct SeasonRecord: Sendable {
    var id: String
    var year: Int
    var week: Int
    var title: String
    var offersOpenOn: String
    var applicationsOpenOn: String
    var matchingOn: String
    var confirmationDeadline: String
    var maxChoices: Int
    var setPhase: SeasonPhase
    var phaseSetAt: String
    var matchedAt: String
    var version: Int64
    var createdAt: String
    var updatedAt: String

    init(row: Row) {
        id = row["id"]
        year = row["year"]
        week = row["week"]
        title = row["title"]
        offersOpenOn = row["offers_open_on"]
        applicationsOpenOn = row["applications_open_on"]
        matchingOn = row["matching_on"]
        confirmationDeadline = row["confirmation_deadline"]
        maxChoices = row["max_choices"]
        setPhase = SeasonPhase(rawValue: row["phase"]) ?? .draft
        phaseSetAt = row["phase_set_at"]
        matchedAt = row["matched_at"]
        version = row["version"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
    }

    /// The season, or NOT_FOUND naming the field.
    static func require(_ db: Database, id: String, field: String = "season_id") throws -> SeasonRecord {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let row = try Row.cachedOne(db, sql: "SELECT * FROM placements_seasons WHERE id = ?", arguments: [id]) else {
            throw RPCError(.notFound, "no season \(id)", reason: "NOT_FOUND", fieldViolations: [.init(field: field, description: "no such season")])
        }
        return SeasonRecord(row: row)
    }

    /// The placement week (valid: checked when the season was created).
    var placementWeek: PlacementWeek? { try? PlacementWeek(year: year, week: week) }

    /// Phases that start by date, at 00:00 UTC of their day; the season completes the day after
    /// its week's Sunday.
    var schedule: [(phase: SeasonPhase, startsAt: String)] {
        var entries: [(phase: SeasonPhase, startsAt: String)] = []
        func add(_ phase: SeasonPhase, _ day: String) {
            if !day.isEmpty { entries.append((phase, day + "T00:00:00.000000Z")) }
        }
        add(.offersOpen, offersOpenOn)
        add(.applicationsOpen, applicationsOpenOn)
        add(.matching, matchingOn)
        add(.confirmed, confirmationDeadline)
        if let week = placementWeek { add(.completed, week.sunday.adding(days: 1).description) }
        return entries
    }

    /// The current phase and since when.
    func phase(now: String = Timestamp.now()) -> (phase: SeasonPhase, since: String) {
        let current = SeasonPhase.current(set: setPhase, setAt: phaseSetAt, schedule: schedule, now: now)
        return current.since.isEmpty ? (current.phase, createdAt) : current
    }

    /// Fails unless the season is in one of `allowed`.
    /// - Returns: The current phase.
    @discardableResult
    func require(_ allowed: [SeasonPhase], for action: String) throws -> SeasonPhase {
        let current = phase().phase
        guard allowed.contains(current) else {
            throw RPCError(.failedPrecondition, "season \(id) is in phase \(current.name); \(action) is possible in "
                           + allowed.map(\.name).joined(separator: ", "), reason: "WRONG_PHASE")
        }
        return current
    }

    var message: Coi_Placements_V1_Season {
        let (phase, since) = phase()
        return .with {
            $0.id = id
            $0.year = Int32(year)
            $0.week = Int32(week)
            if let week = placementWeek {
                $0.weekStarts = week.monday.description
                $0.weekEnds = week.sunday.description
            }
            $0.title = title
            $0.offersOpenOn = offersOpenOn
            $0.applicationsOpenOn = applicationsOpenOn
            $0.matchingOn = matchingOn
            $0.confirmationDeadline = confirmationDeadline
            $0.maxChoices = Int32(maxChoices)
            $0.phase = phase.proto
            $0.phaseSince = since
            $0.matchedAt = matchedAt
            $0.version = version
            $0.createdAt = createdAt
            $0.updatedAt = updatedAt
        }
    }
}
