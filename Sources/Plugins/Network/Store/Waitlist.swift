import COIPluginKit
import GRDB

/// Moves waitlisted members into free seats, first come first served.
enum Waitlist {
    /// Promotes waitlisted members while seats are free.
    /// - Parameters:
    ///   - db: The write transaction.
    ///   - meeting: The meeting.
    /// - Returns: The members promoted, in order.
    @discardableResult
    static func promote(_ db: Database, _ meeting: MeetingRecord) throws -> [String] {
        let free = meeting.capacity - (try MeetingRecord.seatsTaken(db, meeting.id))
        guard free > 0 else { return [] }
        let next = try String.fetchAll(db.cachedStatement(sql: """
            SELECT member_id FROM network_registrations WHERE meeting_id = ? AND state = 2 ORDER BY queued LIMIT ?
            """), arguments: [meeting.id, free])
        let now = Timestamp.now()
        for member in next {
            try db.run(sql: "UPDATE network_registrations SET state = 1, updated_at = ? WHERE meeting_id = ? AND member_id = ?",
                       arguments: [now, meeting.id, member])
            try Events.append(db, "registration.promoted", meeting.id)
        }
        return next
    }
}
