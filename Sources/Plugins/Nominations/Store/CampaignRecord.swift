import COIPluginKit
import COIProto
import COIWire
import GRDB

/// A campaign row with its schedule and rubric.
struct CampaignRecord: Sendable {
    var id: String
    var kind: Coi_Nominations_V1_CampaignKind
    var year: Int
    var title: String
    var prize: String
    var setPhase: CampaignPhase
    var phaseSetAt: String
    var blindReview: Bool
    var normalise: Bool
    var nominatorLimit: Int
    var version: Int64
    var createdAt: String
    var updatedAt: String
    var createdBy: String
    var updatedBy: String
    var schedule: [(phase: CampaignPhase, startsAt: String)]
    var criteria: [Coi_Nominations_V1_Criterion]

    /// The rubric every campaign gets unless it names its own (after the seeds' judging practice).
    static let defaultCriteria: [Coi_Nominations_V1_Criterion] = [
        criterion("simplicity", "Simplicity: the smallest idea", 1),
        criterion("value", "Value created for citizens, colleagues or the municipality", 2),
        criterion("transferability", "Transferability to other municipalities", 1),
        criterion("execution", "How well it was carried out", 1),
    ]

    static func criterion(_ key: String, _ name: String, _ weight: Double) -> Coi_Nominations_V1_Criterion {
        .with {
            $0.key = key
            $0.name = name
            $0.weight = weight
        }
    }

    /// Loads a campaign.
    /// - Parameters:
    ///   - db: A database connection.
    ///   - id: The campaign id.
    ///   - field: The request field that named it, for the error.
    /// - Returns: The campaign.
    /// - Throws: NOT_FOUND naming the id.
    static func require(_ db: Database, id: String, field: String = "campaign_id") throws -> CampaignRecord {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let row = try Row.cachedOne(db, sql: "SELECT * FROM nominations_campaigns WHERE id = ?", arguments: [id]) else {
            throw RPCError(.notFound, "no campaign \(id)", reason: "CAMPAIGN_NOT_FOUND")
        }
        return try CampaignRecord(db, row: row)
    }

    init(_ db: Database, row: Row) throws {
        id = row["id"]
        kind = Coi_Nominations_V1_CampaignKind(rawValue: row["kind"]) ?? .unspecified
        year = row["year"]
        title = row["title"]
        prize = row["prize"]
        setPhase = CampaignPhase(rawValue: row["phase"]) ?? .draft
        phaseSetAt = row["phase_set_at"]
        blindReview = row["blind_review"]
        normalise = row["normalise"]
        nominatorLimit = row["nominator_limit"]
        version = row["version"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        createdBy = row["created_by"]
        updatedBy = row["updated_by"]
        schedule = try Row.cachedAll(db, sql: "SELECT phase, starts_at FROM nominations_schedule WHERE campaign_id = ? ORDER BY phase",
                                    arguments: [id]).compactMap { row in
            CampaignPhase(rawValue: row["phase"]).map { (phase: $0, startsAt: row["starts_at"] as String) }
        }
        criteria = try Row.cachedAll(db, sql: "SELECT key, name, weight FROM nominations_criteria WHERE campaign_id = ? ORDER BY position",
                                    arguments: [id]).map { row in Self.criterion(row["key"], row["name"], row["weight"]) }
    }

    /// The current phase and since when.
    /// - Parameter now: The current time.
    /// - Returns: The phase.
    func phase(now: String = Timestamp.now()) -> (phase: CampaignPhase, since: String) {
        let current = PhaseClock.current(set: setPhase, setAt: phaseSetAt, schedule: schedule, now: now)
        return current.since.isEmpty ? (current.phase, createdAt) : current
    }

    /// Fails unless the campaign is in one of `allowed`.
    /// - Parameters:
    ///   - allowed: The phases the action is possible in.
    ///   - action: What the caller tried, for the message ("submitting nominations").
    /// - Returns: The current phase.
    /// - Throws: FAILED_PRECONDITION naming the current phase and the allowed ones.
    @discardableResult
    func require(_ allowed: [CampaignPhase], for action: String) throws -> CampaignPhase {
        let current = phase().phase
        guard allowed.contains(current) else {
            throw RPCError(.failedPrecondition,
                           "campaign \(id) is in phase \(current.name); \(action) needs phase \(allowed.map(\.name).joined(separator: " or "))",
                           reason: "WRONG_PHASE")
        }
        return current
    }

    /// Weights of the rubric, in order.
    var weights: [Double] { criteria.map(\.weight) }

    /// The campaign as the API sends it.
    var message: Coi_Nominations_V1_Campaign {
        let current = phase()
        return .with {
            $0.id = id
            $0.kind = kind
            $0.year = Int32(year)
            $0.title = title
            $0.prize = prize
            $0.phase = Coi_Nominations_V1_Phase(rawValue: current.phase.rawValue) ?? .unspecified
            $0.phaseSince = current.since
            $0.schedule = schedule.map { entry in
                .with {
                    $0.phase = Coi_Nominations_V1_Phase(rawValue: entry.phase.rawValue) ?? .unspecified
                    $0.startsAt = entry.startsAt
                }
            }
            $0.criteria = criteria
            $0.blindReview = blindReview
            $0.normaliseScores = normalise
            $0.nominatorLimit = Int32(nominatorLimit)
            $0.version = version
            $0.createdAt = createdAt
            $0.updatedAt = updatedAt
            $0.createdBy = createdBy
            $0.updatedBy = updatedBy
        }
    }
}
