import ArgumentParser
import COIProto
import COIWire
import Foundation

extension Network {
    struct Meetings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Meetings: create, invite, register, cancel, attendance, minutes and the iCalendar export.",
            subcommands: [Create.self, List.self, Show.self, Update.self, Invite.self, Register.self, Cancel.self, Registrations.self,
                          Attendance.self, Rates.self, Calendar.self])

        static let columns = ["id", "title", "starts_at", "place", "capacity", "registered", "waitlisted", "party_mix"]

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a meeting.")
            @OptionGroup var options: GlobalOptions
            @Option(help: "Title.") var title: String
            @Option(help: "Start, RFC 3339 (e.g. 2026-03-01T09:00:00+01:00).") var start: String
            @Option(help: "End (default: two hours after the start).") var end = ""
            @Option(help: "Where.") var place = ""
            @Option(help: "Online link (https://…).") var online = ""
            @Option(help: "The agenda (or @FILE).") var agenda = ""
            @Option(help: "Seats; registrations beyond it are waitlisted.") var capacity: Int32

            func run() async throws {
                let agendaText = agenda.hasPrefix("@") ? String(decoding: try Network.readFile(String(agenda.dropFirst())), as: UTF8.self) : agenda
                try await Network.run(options, Coi_Network_V1_Meetings.Method.create, .with {
                    $0.title = title
                    $0.startsAt = start
                    $0.endsAt = end
                    $0.place = place
                    $0.onlineURL = online
                    $0.agenda = agendaText
                    $0.capacity = capacity
                }) { meeting in
                    if options.json { Network.show(meeting, options) } else { print(meeting.id) }
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List meetings.", aliases: ["list"])
            @OptionGroup var options: GlobalOptions
            @Flag(help: "Only meetings not yet over.") var upcoming = false
            @Flag(help: "Fetch every page.") var all = false

            func run() async throws {
                try await Session.with(options) { session in
                    let result = try await session.pages(all: all) { token in
                        let reply = try await session.call(Coi_Network_V1_Meetings.Method.list, .with {
                            $0.upcoming = upcoming
                            $0.pageToken = token
                            $0.pageSize = 500
                        })
                        return (reply.meetings, reply.nextPageToken)
                    }
                    Network.list(result.items, options, columns: Meetings.columns)
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a meeting.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The meeting's id.") var id: String

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Meetings.Method.get, .with { $0.id = id }) { Network.show($0, options) }
            }
        }

        struct Update: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Change a meeting, or record its minutes.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The meeting's id.") var id: String
            @Option(help: "The version you read (from `meetings show`).") var version: Int64
            @Option(help: "Title.") var title: String?
            @Option(help: "Start.") var start: String?
            @Option(help: "End.") var end: String?
            @Option(help: "Where.") var place: String?
            @Option(help: "Online link.") var online: String?
            @Option(help: "The agenda (or @FILE).") var agenda: String?
            @Option(help: "Seats.") var capacity: Int32?
            @Option(help: "The minutes (or @FILE).") var minutes: String?

            func run() async throws {
                func text(_ value: String) throws -> String {
                    value.hasPrefix("@") ? String(decoding: try Network.readFile(String(value.dropFirst())), as: UTF8.self) : value
                }
                var request = Coi_Network_V1_UpdateMeetingRequest.with {
                    $0.id = id
                    $0.version = version
                }
                if let title { request.title = title; request.updateMask.append("title") }
                if let start { request.startsAt = start; request.updateMask.append("starts_at") }
                if let end { request.endsAt = end; request.updateMask.append("ends_at") }
                if let place { request.place = place; request.updateMask.append("place") }
                if let online { request.onlineURL = online; request.updateMask.append("online_url") }
                if let agenda { request.agenda = try text(agenda); request.updateMask.append("agenda") }
                if let capacity { request.capacity = capacity; request.updateMask.append("capacity") }
                if let minutes { request.minutes = try text(minutes); request.updateMask.append("minutes") }
                guard !request.updateMask.isEmpty else { throw ValidationError("name at least one thing to change (see --help)") }
                try await Network.run(options, Coi_Network_V1_Meetings.Method.update, request) { Network.show($0, options) }
            }
        }

        struct Invite: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Invite members (or every active member with --all-active).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The meeting's id.") var meeting: String
            @Argument(help: "Member ids.") var members: [String] = []
            @Flag(name: .customLong("all-active"), help: "Invite every active member.") var allActive = false

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Meetings.Method.invite, .with {
                    $0.meetingID = meeting
                    $0.memberIds = members
                    $0.allActive = allActive
                }) { reply in
                    if options.json { Output.json(["invited": Int(reply.invited)]) } else { print("invited \(reply.invited)") }
                }
            }
        }

        struct Register: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Register for a meeting (yourself, or a member as an admin).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The meeting's id.") var meeting: String
            @Option(help: "A member's id (admins).") var member = ""

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Meetings.Method.register, .with {
                    $0.meetingID = meeting
                    $0.memberID = member
                }) { Network.show($0, options) }
            }
        }

        struct Cancel: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Cancel a registration; the first on the waitlist takes the seat.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The meeting's id.") var meeting: String
            @Option(help: "A member's id (admins).") var member = ""

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Meetings.Method.cancel, .with {
                    $0.meetingID = meeting
                    $0.memberID = member
                }) { Network.show($0, options) }
            }
        }

        struct Registrations: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List a meeting's registrations.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The meeting's id.") var meeting: String

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Meetings.Method.listRegistrations, .with { $0.meetingID = meeting }) { reply in
                    Network.list(reply.registrations, options, columns: ["member_id", "full_name", "party", "state", "waitlist_position"])
                }
            }
        }

        struct Attendance: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record who attended a meeting that has begun; every other registered member is a no-show.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The meeting's id.") var meeting: String
            @Argument(help: "Member ids of those who attended.") var attended: [String] = []

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Meetings.Method.recordAttendance, .with {
                    $0.meetingID = meeting
                    $0.attended = attended
                }) { reply in
                    Network.list(reply.registrations, options, columns: ["member_id", "full_name", "party", "state"])
                }
            }
        }

        struct Rates: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Attendance rates per member and per party.")
            @OptionGroup var options: GlobalOptions

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Meetings.Method.attendance, Coi_Network_V1_AttendanceRequest()) { reply in
                    if options.json {
                        Output.json(Network.object(reply))
                    } else {
                        Network.list(reply.parties, options, columns: ["key", "name", "attended", "no_show", "rate"])
                        print("")
                        Network.list(reply.members, options, columns: ["key", "name", "attended", "no_show", "rate"])
                    }
                }
            }
        }

        struct Calendar: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print the meetings as iCalendar (RFC 5545) for calendar clients.")
            @OptionGroup var options: GlobalOptions
            @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "path")) var output: String?

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Meetings.Method.calendar, Coi_Network_V1_CalendarRequest()) { reply in
                    if options.json {
                        Output.json(["ics": String(decoding: reply.ics, as: UTF8.self)])
                    } else if let output {
                        if !FileManager.default.createFile(atPath: output, contents: reply.ics) { Output.error("cannot write \(output)") }
                    } else {
                        Output.out(reply.ics)
                    }
                }
            }
        }
    }
}
