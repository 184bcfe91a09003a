import Foundation
import COIPluginKit
import COIProto
import GRDB

extension NetworkService {
    func registerMeetings(_ router: inout Router) {
        router.unary(Coi_Network_V1_Meetings.Method.create, .write("network.manage")) { (request: Coi_Network_V1_CreateMeetingRequest, context) in
            let fields = try MeetingFields(title: request.title, startsAt: request.startsAt, endsAt: request.endsAt, place: request.place,
                                           onlineURL: request.onlineURL, agenda: request.agenda, capacity: request.capacity)
            let id = Identifier.make("mtg")
            let caller = context.principal.caller
            context.audit.target = "meeting:\(id)"
            return try await self.write { db in
                let now = Timestamp.now()
                try db.run(sql: """
                    INSERT INTO network_meetings (id, title, starts_at, ends_at, place, online_url, agenda, capacity, created_by, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, fields.title, fields.startsAt, fields.endsAt, fields.place, fields.onlineURL, fields.agenda,
                                     fields.capacity, caller, now, now])
                try Events.append(db, "meeting.created", id)
                return try MeetingRecord.require(db, id: id).message(db)
            }
        }
        router.unary(Coi_Network_V1_Meetings.Method.update, .write("network.manage")) { (request: Coi_Network_V1_UpdateMeetingRequest, context) in
            let mask = try Validation.mask(request.updateMask, known: ["title", "starts_at", "ends_at", "place", "online_url", "agenda",
                                                                       "capacity", "minutes"])
            let minutes = mask.contains("minutes") ? try Validation.text(request.minutes, "minutes", limit: 100_000, required: false) : nil
            context.audit.target = "meeting:\(request.id)"
            return try await self.write { db in
                let meeting = try MeetingRecord.require(db, id: request.id)
                try Validation.version(request.version, stored: meeting.version, what: "meeting \(meeting.id)")
                let fields = try MeetingFields(
                    title: mask.contains("title") ? request.title : meeting.title,
                    startsAt: mask.contains("starts_at") ? request.startsAt : meeting.startsAt,
                    endsAt: mask.contains("ends_at") ? request.endsAt : meeting.endsAt,
                    place: mask.contains("place") ? request.place : meeting.place,
                    onlineURL: mask.contains("online_url") ? request.onlineURL : meeting.onlineURL,
                    agenda: mask.contains("agenda") ? request.agenda : meeting.agenda,
                    capacity: mask.contains("capacity") ? request.capacity : Int32(meeting.capacity))
                let taken = try MeetingRecord.seatsTaken(db, meeting.id)
                if fields.capacity < taken {
                    throw RPCError.invalidField("capacity", "\(taken) members already hold seats; cancel registrations before lowering it to \(fields.capacity)")
                }
                try db.run(sql: """
                    UPDATE network_meetings SET title = ?, starts_at = ?, ends_at = ?, place = ?, online_url = ?, agenda = ?, capacity = ?,
                        minutes = ?, version = version + 1, updated_at = ? WHERE id = ?
                    """, arguments: [fields.title, fields.startsAt, fields.endsAt, fields.place, fields.onlineURL, fields.agenda, fields.capacity,
                                     minutes ?? meeting.minutes, Timestamp.now(), meeting.id])
                let updated = try MeetingRecord.require(db, id: meeting.id)
                try Waitlist.promote(db, updated)
                try Events.append(db, minutes != nil ? "meeting.minutes" : "meeting.updated", meeting.id)
                return try updated.message(db)
            }
        }
        router.unary(Coi_Network_V1_Meetings.Method.get, .read("network.read")) { (request: Coi_Network_V1_GetMeetingRequest, _) in
            try await self.read { db in try MeetingRecord.require(db, id: request.id).message(db) }
        }
        router.unary(Coi_Network_V1_Meetings.Method.list, .read("network.read")) { (request: Coi_Network_V1_ListMeetingsRequest, _) in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            let now = Timestamp.now()
            return try await self.read { db in
                let records = try MeetingRecord.fetch(db, "WHERE seq > ? AND (? = 0 OR ends_at >= ?) ORDER BY seq LIMIT ?",
                                                      [after, request.upcoming, now, size + 1])
                return try Coi_Network_V1_ListMeetingsReply.with {
                    $0.meetings = try records.prefix(size).map { try $0.message(db) }
                    if records.count > size, let last = records.prefix(size).last { $0.nextPageToken = PageToken.encode(last.seq) }
                }
            }
        }
        router.unary(Coi_Network_V1_Meetings.Method.invite, .write("network.manage")) { (request: Coi_Network_V1_InviteToMeetingRequest, context) in
            guard request.allActive || !request.memberIds.isEmpty else {
                throw RPCError.invalidField("member_ids", "name members to invite, or set all_active")
            }
            context.audit.target = "meeting:\(request.meetingID)"
            return try await self.write { db in
                let meeting = try MeetingRecord.require(db, id: request.meetingID, field: "meeting_id")
                var ids = request.memberIds
                if request.allActive {
                    ids += try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM network_members WHERE status = 2 ORDER BY seq"))
                }
                for (index, id) in request.memberIds.enumerated() {
                    let member = try MemberRecord.require(db, id: id, field: "member_ids[\(index)]")
                    guard member.status == .active else {
                        throw RPCError.invalidField("member_ids[\(index)]", "member \(id) is \(member.status.name); only active members are invited")
                    }
                }
                var invited: Int32 = 0
                let now = Timestamp.now()
                for id in ids {
                    try db.run(sql: "INSERT OR IGNORE INTO network_registrations (meeting_id, member_id, state, updated_at) VALUES (?, ?, 0, ?)",
                               arguments: [meeting.id, id, now])
                    invited += Int32(db.changesCount)
                }
                try Events.append(db, "meeting.invited", meeting.id, detail: String(invited))
                return Coi_Network_V1_InviteToMeetingReply.with { $0.invited = invited }
            }
        }
        router.unary(Coi_Network_V1_Meetings.Method.register, .write("network.participate")) { (request: Coi_Network_V1_RegisterRequest, context) in
            let manager = Self.isManager(context)
            let account = context.principal.account?.id
            context.audit.target = "meeting:\(request.meetingID)"
            return try await self.write { db in
                let meeting = try MeetingRecord.require(db, id: request.meetingID, field: "meeting_id")
                let member = try Self.actingMember(db, request.memberID, account: account, manager: manager)
                guard meeting.startsAt > Timestamp.now() else {
                    throw RPCError(.failedPrecondition, "meeting \(meeting.id) began at \(meeting.startsAt); registration is closed", reason: "MEETING_STARTED")
                }
                let state = try Int.cachedOne(db, sql: "SELECT state FROM network_registrations WHERE meeting_id = ? AND member_id = ?",
                                              arguments: [meeting.id, member.id])
                guard state != nil || manager else {
                    throw RPCError(.failedPrecondition, "member \(member.id) is not invited to meeting \(meeting.id)", reason: "NOT_INVITED")
                }
                if let state, state != 0 && state != 3 {
                    throw RPCError(.alreadyExists, "member \(member.id) is already \(Self.stateName(state)) for meeting \(meeting.id)",
                                   reason: "ALREADY_REGISTERED")
                }
                let full = try MeetingRecord.seatsTaken(db, meeting.id) >= meeting.capacity
                let queued = (try Int.cachedOne(db, sql: "SELECT COALESCE(MAX(queued), 0) FROM network_registrations WHERE meeting_id = ?",
                                                arguments: [meeting.id]) ?? 0) + 1
                try db.run(sql: """
                    INSERT INTO network_registrations (meeting_id, member_id, state, queued, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (meeting_id, member_id) DO UPDATE SET state = excluded.state, queued = excluded.queued, updated_at = excluded.updated_at
                    """, arguments: [meeting.id, member.id, full ? 2 : 1, queued, Timestamp.now()])
                try Events.append(db, full ? "registration.waitlisted" : "registration.registered", meeting.id)
                return try Self.registration(db, meeting.id, member.id, showName: true)
            }
        }
        router.unary(Coi_Network_V1_Meetings.Method.cancel, .write("network.participate")) { (request: Coi_Network_V1_CancelRegistrationRequest, context) in
            let manager = Self.isManager(context)
            let account = context.principal.account?.id
            context.audit.target = "meeting:\(request.meetingID)"
            return try await self.write { db in
                let meeting = try MeetingRecord.require(db, id: request.meetingID, field: "meeting_id")
                let member = try Self.actingMember(db, request.memberID, account: account, manager: manager)
                let state = try Int.cachedOne(db, sql: "SELECT state FROM network_registrations WHERE meeting_id = ? AND member_id = ?",
                                              arguments: [meeting.id, member.id]) ?? 0
                guard state == 1 || state == 2 else {
                    throw RPCError(.failedPrecondition, "member \(member.id) is \(Self.stateName(state)) for meeting \(meeting.id); "
                                   + "only REGISTERED or WAITLISTED can be cancelled", reason: "WRONG_STATE")
                }
                try db.run(sql: "UPDATE network_registrations SET state = 3, updated_at = ? WHERE meeting_id = ? AND member_id = ?",
                           arguments: [Timestamp.now(), meeting.id, member.id])
                try Events.append(db, "registration.cancelled", meeting.id)
                // A freed seat goes to the first on the waitlist.
                try Waitlist.promote(db, meeting)
                return try Self.registration(db, meeting.id, member.id, showName: true)
            }
        }
        router.unary(Coi_Network_V1_Meetings.Method.recordAttendance, .write("network.manage")) { (request: Coi_Network_V1_RecordAttendanceRequest, context) in
            context.audit.target = "meeting:\(request.meetingID)"
            return try await self.write { db in
                let meeting = try MeetingRecord.require(db, id: request.meetingID, field: "meeting_id")
                guard meeting.startsAt <= Timestamp.now() else {
                    throw RPCError(.failedPrecondition, "meeting \(meeting.id) starts at \(meeting.startsAt); attendance is recorded once it has begun",
                                   reason: "MEETING_NOT_STARTED")
                }
                let seated = try String.cachedSet(db, sql: "SELECT member_id FROM network_registrations WHERE meeting_id = ? AND state IN (1, 4, 5)",
                                                  arguments: [meeting.id])
                for (index, id) in request.attended.enumerated() where !seated.contains(id) {
                    throw RPCError.invalidField("attended[\(index)]", "member \(id) was not registered for meeting \(meeting.id)")
                }
                let attended = Set(request.attended)
                let now = Timestamp.now()
                for id in seated {
                    try db.run(sql: "UPDATE network_registrations SET state = ?, updated_at = ? WHERE meeting_id = ? AND member_id = ?",
                               arguments: [attended.contains(id) ? 4 : 5, now, meeting.id, id])
                }
                try Events.append(db, "meeting.attendance", meeting.id, detail: String(attended.count))
                return try Self.registrations(db, meeting.id, showNames: true)
            }
        }
        router.unary(Coi_Network_V1_Meetings.Method.listRegistrations, .read("network.read")) { (request: Coi_Network_V1_ListRegistrationsRequest, context) in
            let manager = Self.isManager(context)
            return try await self.read { db in
                _ = try MeetingRecord.require(db, id: request.meetingID, field: "meeting_id")
                return try Self.registrations(db, request.meetingID, showNames: manager)
            }
        }
        router.unary(Coi_Network_V1_Meetings.Method.attendance, .read("network.manage")) { (_: Coi_Network_V1_AttendanceRequest, _) in
            try await self.read { db in try Self.attendance(db) }
        }
        router.unary(Coi_Network_V1_Meetings.Method.calendar, .read("network.read")) { (_: Coi_Network_V1_CalendarRequest, _) in
            let meetings = try await self.read { db in try MeetingRecord.fetch(db, "ORDER BY starts_at, seq") }
            let events = meetings.compactMap { meeting -> ICalendar.Event? in
                guard let start = Timestamp.parse(meeting.startsAt), let end = Timestamp.parse(meeting.endsAt),
                      let stamp = Timestamp.parse(meeting.updatedAt) else { return nil }
                let description = [meeting.agenda, meeting.onlineURL.isEmpty ? "" : "Online: \(meeting.onlineURL)"]
                    .filter { !$0.isEmpty }.joined(separator: "\n\n")
                return ICalendar.Event(uid: "\(meeting.id)@coi.network", start: start, end: end, stamp: stamp, summary: meeting.title,
                                       location: meeting.place.isEmpty ? meeting.onlineURL : meeting.place, description: description,
                                       url: meeting.onlineURL, sequence: Int(meeting.version - 1))
            }
            return Coi_Network_V1_CalendarReply.with {
                $0.ics = Data(ICalendar.calendar(name: "COI politikernetværk", events: events).utf8)
            }
        }
    }

    /// The membership a registration call is about: the caller's own, or (for managers) any.
    static func actingMember(_ db: Database, _ memberID: String, account: String?, manager: Bool) throws -> MemberRecord {
        if memberID.isEmpty {
            guard let account, let member = try MemberRecord.current(db, accountID: account), member.status == .active else {
                throw RPCError(.failedPrecondition, "you are not an active member of the network", reason: "NOT_A_MEMBER")
            }
            return member
        }
        let member = try MemberRecord.require(db, id: memberID, field: "member_id")
        guard manager || member.accountID == account else {
            throw RPCError(.permissionDenied, "only network managers register or cancel for other members", reason: "NOT_YOURS")
        }
        guard member.status == .active else {
            throw RPCError(.failedPrecondition, "member \(member.id) is \(member.status.name); only active members attend meetings",
                           reason: "WRONG_STATE")
        }
        return member
    }

    static func stateName(_ state: Int) -> String {
        switch state {
        case 1: "REGISTERED"
        case 2: "WAITLISTED"
        case 3: "CANCELLED"
        case 4: "ATTENDED"
        case 5: "NO_SHOW"
        default: "INVITED"
        }
    }

    /// Registrations of a meeting; names only for managers or members who consented to be listed.
    static func registrations(_ db: Database, _ meetingID: String, showNames: Bool) throws -> Coi_Network_V1_ListRegistrationsReply {
        let ids = try String.fetchAll(db.cachedStatement(sql: """
            SELECT member_id FROM network_registrations WHERE meeting_id = ? AND state <> 0 ORDER BY state, queued
            """), arguments: [meetingID])
        return try .with { reply in reply.registrations = try ids.map { try registration(db, meetingID, $0, showName: showNames) } }
    }

    static func registration(_ db: Database, _ meetingID: String, _ memberID: String, showName: Bool) throws -> Coi_Network_V1_Registration {
        let member = try MemberRecord.require(db, id: memberID)
        let row = try Row.cachedOne(db, sql: "SELECT * FROM network_registrations WHERE meeting_id = ? AND member_id = ?",
                                    arguments: [meetingID, memberID])
        let state: Int = row?["state"] ?? 0
        let queued: Int = row?["queued"] ?? 0
        let updatedAt: String = row?["updated_at"] ?? ""
        let position = state == 2 ? (try Int.cachedOne(db, sql: """
            SELECT COUNT(*) FROM network_registrations WHERE meeting_id = ? AND state = 2 AND queued <= ?
            """, arguments: [meetingID, queued]) ?? 0) : 0
        return .with {
            $0.meetingID = meetingID
            $0.memberID = memberID
            $0.fullName = showName || member.publicConsent ? member.fullName : ""
            $0.party = member.party
            $0.state = Coi_Network_V1_RegistrationState(rawValue: state) ?? .unspecified
            $0.waitlistPosition = Int32(position)
            $0.updatedAt = updatedAt
        }
    }

    /// Attendance rates of meetings whose attendance was recorded: per member and per party.
    static func attendance(_ db: Database) throws -> Coi_Network_V1_AttendanceReply {
        let rows = try Row.cachedAll(db, sql: """
            SELECT r.member_id, m.party, p.name AS party_name, COALESCE(a.full_name, '') AS full_name,
                   SUM(r.state = 4) AS attended, SUM(r.state = 5) AS no_show
            FROM network_registrations r JOIN network_members m ON m.id = r.member_id JOIN network_parties p ON p.letter = m.party
            \(AccountNames.join(on: "m.account_id")) WHERE r.state IN (4, 5) GROUP BY r.member_id ORDER BY m.seq
            """)
        func rate(_ attended: Int, _ noShow: Int) -> Double { attended + noShow == 0 ? 0 : Double(attended) / Double(attended + noShow) }
        var parties: [String: (name: String, attended: Int, noShow: Int)] = [:]
        var reply = Coi_Network_V1_AttendanceReply()
        for row in rows {
            let attended: Int = row["attended"]
            let noShow: Int = row["no_show"]
            let party: String = row["party"]
            let partyName: String = row["party_name"]
            reply.members.append(.with {
                $0.key = row["member_id"]
                $0.name = row["full_name"]
                $0.attended = Int32(attended)
                $0.noShow = Int32(noShow)
                $0.rate = rate(attended, noShow)
            })
            let sum = parties[party] ?? (name: partyName, attended: 0, noShow: 0)
            parties[party] = (sum.name, sum.attended + attended, sum.noShow + noShow)
        }
        reply.parties = parties.sorted(by: { $0.key < $1.key }).map { letter, sum in
            return .with {
                $0.key = letter
                $0.name = sum.name
                $0.attended = Int32(sum.attended)
                $0.noShow = Int32(sum.noShow)
                $0.rate = rate(sum.attended, sum.noShow)
            }
        }
        return reply
    }
}
