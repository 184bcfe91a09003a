import COIHostTesting
import COIPluginKit
import COIProto
import Foundation
import Testing
@testable import COINetwork

@Suite struct NetworkMeetingsTests {
    /// A meeting of two seats tomorrow, and three active members invited with tokens.
    func setUp() async throws -> (NetworkFixture, Coi_Network_V1_Meeting, [(member: Coi_Network_V1_Member, token: String)]) {
        let net = try await NetworkFixture()
        try await net.importRows(NetworkFixture.rows(3))
        var people: [(Coi_Network_V1_Member, String)] = []
        for member in try await net.members().sorted(by: { $0.ref < $1.ref }) { people.append((member, try await net.token(for: member))) }
        let tomorrow = Timestamp.string(Date().addingTimeInterval(86_400))
        let meeting = try await net.call(Coi_Network_V1_Meetings.Method.create, .with {
            $0.title = "Netværksmøde: mod til at lade være"
            $0.startsAt = tomorrow
            $0.place = "Rådhuset, Aarhus"
            $0.onlineURL = "https://meet.example.dk/coi"
            $0.agenda = "1. Velkomst\n2. Hvad politikere kan lade være med; og hvorfor, trods alt"
            $0.capacity = 2
        })
        let invited = try await net.call(Coi_Network_V1_Meetings.Method.invite, .with { $0.meetingID = meeting.id; $0.allActive = true })
        #expect(invited.invited == 3)
        return (net, meeting, people)
    }

    @Test func waitlistIsPromotedOnACancellation() async throws {
        let (net, meeting, people) = try await setUp()
        func register(_ index: Int) async throws -> Coi_Network_V1_Registration {
            try await net.call(Coi_Network_V1_Meetings.Method.register, .with { $0.meetingID = meeting.id }, token: people[index].token)
        }
        #expect(try await register(0).state == .registered)
        #expect(try await register(1).state == .registered)
        let third = try await register(2)
        #expect(third.state == .waitlisted && third.waitlistPosition == 1)
        let twice = await rpcError { _ = try await register(0) }
        #expect(twice?.code == .alreadyExists)
        let cancelled = try await net.call(Coi_Network_V1_Meetings.Method.cancel, .with { $0.meetingID = meeting.id }, token: people[0].token)
        #expect(cancelled.state == .cancelled)
        let list = try await net.call(Coi_Network_V1_Meetings.Method.listRegistrations, .with { $0.meetingID = meeting.id })
        #expect(list.registrations.first { $0.memberID == people[2].member.id }?.state == .registered)
        let shown = try await net.call(Coi_Network_V1_Meetings.Method.get, .with { $0.id = meeting.id })
        #expect(shown.registered == 2 && shown.waitlisted == 0 && shown.partyMix.values.reduce(0, +) == 2)
        // Attendance is recorded once the meeting began.
        let early = await rpcError {
            _ = try await net.call(Coi_Network_V1_Meetings.Method.recordAttendance, .with { $0.meetingID = meeting.id; $0.attended = [people[1].member.id] })
        }
        #expect(early?.code == .failedPrecondition)
    }

    @Test func attendanceRatesPerMemberAndParty() async throws {
        let (net, meeting, people) = try await setUp()
        for person in people.prefix(2) {
            _ = try await net.call(Coi_Network_V1_Meetings.Method.register, .with { $0.meetingID = meeting.id }, token: person.token)
        }
        // Move the meeting into the past (an admin correcting the date), then record who came.
        let past = Timestamp.string(Date().addingTimeInterval(-3600))
        _ = try await net.call(Coi_Network_V1_Meetings.Method.update, .with {
            $0.id = meeting.id; $0.version = meeting.version; $0.updateMask = ["starts_at", "ends_at", "minutes"]
            $0.startsAt = past; $0.endsAt = Timestamp.string(Date().addingTimeInterval(-60)); $0.minutes = "Referat: vi talte om tillid."
        })
        let stranger = await rpcError {
            _ = try await net.call(Coi_Network_V1_Meetings.Method.recordAttendance, .with { $0.meetingID = meeting.id; $0.attended = [people[2].member.id] })
        }
        #expect(stranger?.fieldViolations.first?.field == "attended[0]")
        _ = try await net.call(Coi_Network_V1_Meetings.Method.recordAttendance, .with { $0.meetingID = meeting.id; $0.attended = [people[0].member.id] })
        let rates = try await net.call(Coi_Network_V1_Meetings.Method.attendance, Coi_Network_V1_AttendanceRequest())
        #expect(rates.members.first { $0.key == people[0].member.id }?.rate == 1)
        #expect(rates.members.first { $0.key == people[1].member.id }?.rate == 0)
        #expect(rates.parties.map(\.key).sorted() == [people[0].member.party, people[1].member.party].sorted())
    }

    /// The calendar parses with Python's `icalendar` (PyPI), a parser that is not ours; scripts/test.sh
    /// installs it into .build/venv-ical and exports COI_ICAL_PYTHON.
    @Test(.enabled(if: NetworkMeetingsTests.icalPython != nil, "needs COI_ICAL_PYTHON (scripts/ical-venv.sh)"))
    func calendarParsesWithPythonIcalendar() async throws {
        let (net, meeting, _) = try await setUp()
        let ics = try await net.call(Coi_Network_V1_Meetings.Method.calendar, Coi_Network_V1_CalendarRequest()).ics
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("network-\(UUID().uuidString).ics")
        try ics.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import sys, icalendar
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            for event in cal.walk('VEVENT'):
                print(str(event['UID']), event.decoded('DTSTART').isoformat(), str(event['SUMMARY']), str(event['LOCATION']),
                      str(event['DESCRIPTION']).replace('\\n', '|'), sep='\\t')
            """
        let outcome = try ReferenceProcess.run(try #require(Self.icalPython), ["-c", script, file.path])
        #expect(outcome.status == 0, "\(outcome.errors)")
        let data = outcome.output
        let fields = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines).components(separatedBy: "\t")
        #expect(fields.count == 5)
        #expect(fields.first == "\(meeting.id)@coi.network")
        #expect(fields.dropFirst(2).first == "Netværksmøde: mod til at lade være")
        #expect(fields.dropFirst(3).first == "Rådhuset, Aarhus")
        #expect(fields.last == "1. Velkomst|2. Hvad politikere kan lade være med; og hvorfor, trods alt||Online: https://meet.example.dk/coi")
    }

    static var icalPython: String? {
        if let path = ProcessInfo.processInfo.environment["COI_ICAL_PYTHON"], !path.isEmpty { return path }
        let local = FileManager.default.currentDirectoryPath + "/.build/venv-ical/bin/python3"
        return FileManager.default.isExecutableFile(atPath: local) ? local : nil
    }
}
