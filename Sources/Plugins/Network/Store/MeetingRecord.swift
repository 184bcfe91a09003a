import COIPluginKit
import COIProto
import GRDB

/// A stored meeting with its registration counts and party mix.
struct MeetingRecord: Sendable {
    var seq: Int64
    var id: String
    var title: String
    var startsAt: String
    var endsAt: String
    var place: String
    var onlineURL: String
    var agenda: String
    var capacity: Int
    var minutes: String
    var version: Int64
    var createdAt: String
    var updatedAt: String

    init(row: Row) {
        seq = row["seq"]
        id = row["id"]
        title = row["title"]
        startsAt = row["starts_at"]
        endsAt = row["ends_at"]
        place = row["place"]
        onlineURL = row["online_url"]
        agenda = row["agenda"]
        capacity = row["capacity"]
        minutes = row["minutes"]
        version = row["version"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
    }

    static func fetch(_ db: Database, _ clause: String, _ arguments: StatementArguments = []) throws -> [MeetingRecord] {
        try Row.cachedAll(db, sql: "SELECT * FROM network_meetings " + clause, arguments: arguments).map(MeetingRecord.init(row:))
    }

    /// The meeting with this id.
    /// - Throws: NOT_FOUND naming the field.
    static func require(_ db: Database, id: String, field: String = "id") throws -> MeetingRecord {
        guard let record = try fetch(db, "WHERE id = ?", [id]).first else {
            throw RPCError(.notFound, "no meeting \(id)", reason: "NOT_FOUND", fieldViolations: [.init(field: field, description: "no meeting \(id)")])
        }
        return record
    }

    /// Seats taken: registered or attended.
    static func seatsTaken(_ db: Database, _ id: String) throws -> Int {
        try Int.cachedOne(db, sql: "SELECT COUNT(*) FROM network_registrations WHERE meeting_id = ? AND state IN (1, 4)", arguments: [id]) ?? 0
    }

    /// The message, with counts read from the registrations.
    func message(_ db: Database) throws -> Coi_Network_V1_Meeting {
        let counts = try Row.cachedAll(db, sql: "SELECT state, COUNT(*) AS n FROM network_registrations WHERE meeting_id = ? GROUP BY state",
                                       arguments: [id])
        var byState: [Int: Int32] = [:]
        for row in counts { byState[row["state"]] = Int32(row["n"] as Int) }
        let mix = try Row.cachedAll(db, sql: """
            SELECT m.party, COUNT(*) AS n FROM network_registrations r JOIN network_members m ON m.id = r.member_id
            WHERE r.meeting_id = ? AND r.state IN (1, 4) GROUP BY m.party
            """, arguments: [id])
        return .with {
            $0.id = id
            $0.title = title
            $0.startsAt = startsAt
            $0.endsAt = endsAt
            $0.place = place
            $0.onlineURL = onlineURL
            $0.agenda = agenda
            $0.capacity = Int32(capacity)
            $0.minutes = minutes
            $0.invited = byState.values.reduce(0, +)
            $0.registered = (byState[1] ?? 0) + (byState[4] ?? 0)
            $0.waitlisted = byState[2] ?? 0
            $0.partyMix = Dictionary(uniqueKeysWithValues: mix.map { ($0["party"] as String, Int32($0["n"] as Int)) })
            $0.version = version
            $0.createdAt = createdAt
            $0.updatedAt = updatedAt
        }
    }
}
