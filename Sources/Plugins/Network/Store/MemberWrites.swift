import COIPluginKit
import COIProto
import GRDB

/// Writes of members shared by invite, accept, update, cease and import; each appends the member's
/// seat and status to the history that breadth as of a past date reads.
enum MemberWrites {
    /// Inserts a member.
    /// - Returns: The new member's id.
    static func insert(_ db: Database, accountID: String, ref: String, seat: MemberFields, status: Coi_Network_V1_MemberStatus,
                       consent: Bool, by caller: String, now: String) throws -> String {
        let id = Identifier.make("mem")
        try db.run(sql: """
            INSERT INTO network_members (id, ref, account_id, party, body, municipality_code, region_code, role, term_start, term_end,
                status, invited_at, active_since, ceased_at, public_consent, created_by, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, ref, accountID, seat.party, seat.body.rawValue, seat.municipalityCode, seat.regionCode, seat.role,
                             seat.termStart, seat.termEnd, status.rawValue, now, status == .active ? now : "",
                             status == .ceased ? now : "", consent, caller, now, now])
        try history(db, id, seat: seat, status: status, now: now)
        try Events.append(db, status == .invited ? "member.invited" : status == .active ? "member.activated" : "member.ceased", id,
                          detail: seat.party)
        return id
    }

    /// Rewrites a member's seat, status and consent; a status change stamps its date and an event.
    static func update(_ db: Database, _ current: MemberRecord, ref: String, seat: MemberFields, status: Coi_Network_V1_MemberStatus,
                       consent: Bool, now: String) throws {
        let activeSince = status == .active && current.status != .active ? now : current.activeSince
        let ceasedAt = status == .ceased ? (current.status == .ceased ? current.ceasedAt : now) : ""
        try db.run(sql: """
            UPDATE network_members SET ref = ?, party = ?, body = ?, municipality_code = ?, region_code = ?, role = ?, term_start = ?,
                term_end = ?, status = ?, active_since = ?, ceased_at = ?, public_consent = ?, version = version + 1, updated_at = ?
            WHERE id = ?
            """, arguments: [ref, seat.party, seat.body.rawValue, seat.municipalityCode, seat.regionCode, seat.role, seat.termStart,
                             seat.termEnd, status.rawValue, activeSince, ceasedAt, consent, now, current.id])
        if seat != current.seat || status != current.status {
            try history(db, current.id, seat: seat, status: status, now: now)
        }
        if status != current.status {
            try Events.append(db, status == .active ? "member.activated" : status == .ceased ? "member.ceased" : "member.invited",
                              current.id, detail: seat.party)
        }
    }

    private static func history(_ db: Database, _ id: String, seat: MemberFields, status: Coi_Network_V1_MemberStatus, now: String) throws {
        try db.run(sql: """
            INSERT INTO network_member_history (member_id, valid_from, party, body, region_code, status) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [id, now, seat.party, seat.body.rawValue, seat.regionCode, status.rawValue])
    }
}
