import ArgumentParser
import COIProto
import COIWire
import Foundation

extension Network {
    struct Parties: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The parties and local lists members belong to.",
                                                        subcommands: [List.self, Add.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List parties by ballot letter.", aliases: ["list"])
            @OptionGroup var options: GlobalOptions

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Parties.Method.list, Coi_Network_V1_ListPartiesRequest()) { reply in
                    Network.list(reply.parties, options, columns: ["letter", "name", "national"])
                }
            }
        }

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a local list (or a new party).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "Its ballot letter or code, e.g. L.") var letter: String
            @Argument(help: "Its name, e.g. \"Lokallisten Bornholm\".") var name: String

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Parties.Method.create, .with {
                    $0.letter = letter
                    $0.name = name
                }) { Network.show($0, options) }
            }
        }
    }

    struct Members: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Members: invite, accept, list, change, cease, consent, import and export.",
            subcommands: [Invite.self, Accept.self, List.self, Show.self, Update.self, Cease.self, Consent.self, Import.self, Export.self])

        static let columns = ["id", "full_name", "party", "body", "municipality", "region", "role", "status", "public_consent"]

        /// The seat options shared by invite and update.
        struct SeatOptions: ParsableArguments {
            @Option(help: "Ballot letter, e.g. A or Ø.") var party: String?
            @Option(help: "municipal_council, regional_council or folketing.") var body: BodyArgument?
            @Option(help: "The municipality (municipal council members): a code (101) or a name (København).") var municipality: String?
            @Option(help: "The region (regional council; optional for the Folketing): a code (1084) or a name (Hovedstaden).") var region: String?
            @Option(help: "member, chair, deputy_chair, mayor, deputy_mayor, regional_council_chair, …") var role: String?
            @Option(name: .customLong("term-start"), help: "YYYY-MM-DD.") var termStart: String?
            @Option(name: .customLong("term-end"), help: "YYYY-MM-DD.") var termEnd: String?
            @Option(help: "Your own reference for the member.") var ref: String?
        }

        struct Invite: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Invite a person: an account, or by e-mail (an account is created with --name when none has it).")
            @OptionGroup var options: GlobalOptions
            @OptionGroup var seat: SeatOptions
            @Option(help: "The person's account id.") var account: String?
            @Option(help: "The person's e-mail.") var email: String?
            @Option(help: "Their full name, when no account has the e-mail yet.") var name: String?

            func run() async throws {
                guard (account == nil) != (email == nil) else { throw ValidationError("give --account or --email (one of them)") }
                try await Network.run(options, Coi_Network_V1_Members.Method.invite, .with {
                    $0.accountID = account ?? ""
                    $0.email = email ?? ""
                    $0.fullName = name ?? ""
                    $0.party = seat.party ?? ""
                    $0.body = seat.body?.proto ?? .unspecified
                    $0.role = seat.role ?? ""
                    $0.termStart = seat.termStart ?? ""
                    $0.termEnd = seat.termEnd ?? ""
                    $0.ref = seat.ref ?? ""
                }, complete: { request, session in
                    request.municipalityCode = try await Places.municipalityCode(seat.municipality, session)
                    request.regionCode = try await Places.regionCode(seat.region, session)
                }) { member in
                    if options.json { Network.show(member, options) } else { print(member.id) }
                }
            }
        }

        struct Accept: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Accept your invitation (as the invited person).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The membership's id.") var id: String
            @Flag(help: "Consent to being listed publicly.") var consent = false

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Members.Method.accept, .with {
                    $0.id = id
                    $0.publicConsent = consent
                }) { Network.show($0, options) }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List members (others see only consenting active ones).", aliases: ["list"])
            @OptionGroup var options: GlobalOptions
            @Option(help: "invited, active or ceased.") var status: StatusArgument?
            @Option(help: "Ballot letter.") var party: String?
            @Option(help: "municipal_council, regional_council or folketing.") var body: BodyArgument?
            @Option(help: "Only this region: a code (1084) or a name (\"Region Hovedstaden\", sjælland).") var region: String?
            @Flag(help: "Fetch every page.") var all = false

            func run() async throws {
                try await Session.with(options) { session in
                    let regionCode = try await Places.regionCode(region, session)
                    let result = try await session.pages(all: all) { token in
                        let reply = try await session.call(Coi_Network_V1_Members.Method.list, .with {
                            $0.status = status?.proto ?? .unspecified
                            $0.party = party ?? ""
                            $0.body = body?.proto ?? .unspecified
                            $0.regionCode = regionCode
                            $0.pageToken = token
                            $0.pageSize = 500
                        })
                        return (reply.members, reply.nextPageToken)
                    }
                    Network.list(result.items, options, columns: Members.columns)
                    if result.more && !options.json { Output.error("more members: use --all") }
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a member.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The member's id.") var id: String

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Members.Method.get, .with { $0.id = id }) { Network.show($0, options) }
            }
        }

        struct Update: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Change a member's seat, role, term, reference or recorded consent.")
            @OptionGroup var options: GlobalOptions
            @OptionGroup var seat: SeatOptions
            @Argument(help: "The member's id.") var id: String
            @Option(help: "The version you read (from `members show`); a stale one is refused.") var version: Int64
            @Option(name: .customLong("public-consent"), help: "yes or no: consent the person gave.") var consent: YesNo?

            func run() async throws {
                var request = Coi_Network_V1_UpdateMemberRequest.with {
                    $0.id = id
                    $0.version = version
                }
                if let value = seat.party { request.party = value; request.updateMask.append("party") }
                if let value = seat.body { request.body = value.proto; request.updateMask.append("body") }
                if seat.municipality != nil { request.updateMask.append("municipality_code") }
                if seat.region != nil { request.updateMask.append("region_code") }
                if let value = seat.role { request.role = value; request.updateMask.append("role") }
                if let value = seat.termStart { request.termStart = value; request.updateMask.append("term_start") }
                if let value = seat.termEnd { request.termEnd = value; request.updateMask.append("term_end") }
                if let value = seat.ref { request.ref = value; request.updateMask.append("ref") }
                if let value = consent { request.publicConsent = value.bool; request.updateMask.append("public_consent") }
                guard !request.updateMask.isEmpty else { throw ValidationError("name at least one thing to change (see --help)") }
                try await Network.run(options, Coi_Network_V1_Members.Method.update, request, complete: { request, session in
                    if seat.municipality != nil { request.municipalityCode = try await Places.municipalityCode(seat.municipality, session) }
                    if seat.region != nil { request.regionCode = try await Places.regionCode(seat.region, session) }
                }) { Network.show($0, options) }
            }
        }

        struct Cease: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "End a membership (dated today).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The member's id.") var id: String
            @Option(help: "Why, for the audit log.") var reason = ""

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Members.Method.cease, .with {
                    $0.id = id
                    $0.reason = reason
                }) { Network.show($0, options) }
            }
        }

        struct Consent: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Give (yes) or withdraw (no) your consent to public listing.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "Your membership's id.") var id: String
            @Argument(help: "yes or no.") var answer: YesNo

            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Members.Method.setConsent, .with {
                    $0.id = id
                    $0.publicConsent = answer.bool
                }) { Network.show($0, options) }
            }
        }

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import members from CSV; all rows or none.",
                discussion: """
                    Header: ref,full_name,email,party,body,municipality_code,region_code,role,term_start,term_end,status,public_consent \
                    (status invited|active|ceased, public_consent yes|no, empty codes where none). People are linked \
                    by e-mail and created when missing; a row whose ref exists updates that member. Every problem is \
                    reported with its line and column, and nothing is imported.
                    """)
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The CSV file (UTF-8), or - for stdin.") var file: String
            @Flag(name: .customLong("dry-run"), help: "Check everything, change nothing.") var dryRun = false

            func run() async throws {
                let data = try Network.readFile(file)
                try await Network.run(options, Coi_Network_V1_Members.Method.import, .with {
                    $0.csv = data
                    $0.dryRun = dryRun
                }) { reply in
                    if options.json {
                        Output.json(["rows": Int(reply.rows), "created": Int(reply.created), "updated": Int(reply.updated),
                                     "accounts_created": Int(reply.accountsCreated), "dry_run": reply.dryRun])
                    } else {
                        print("\(reply.dryRun ? "would import" : "imported") \(reply.rows) rows: \(reply.created) created, "
                              + "\(reply.updated) updated, \(reply.accountsCreated) accounts created")
                    }
                }
            }
        }

        struct Export: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Export members as CSV (RFC 4180, UTF-8, header row).",
                discussion: """
                    --public lists only active members who consented, without e-mail; without it every member (needs \
                    network.export). --json prints the rows as a JSON list of objects keyed by the header.
                    """)
            @OptionGroup var options: GlobalOptions
            @Flag(name: .customLong("public"), help: "Only what may be shown publicly.") var publicOnly = false
            @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "path")) var output: String?

            func run() async throws {
                try await Session.with(options) { session in
                    var data = Data()
                    do {
                        let stream = try session.connection.stream(Coi_Network_V1_Members.Method.export, .with { $0.publicOnly = publicOnly },
                                                                   metadata: options.metadata, timeout: options.deadline)
                        for try await chunk in stream.replies { data.append(chunk.data) }
                    } catch let error as RPCError {
                        throw Session.fail(error)
                    }
                    if options.json {
                        Output.json(NetworkCSV.objects(String(decoding: data, as: UTF8.self)))
                    } else if let output {
                        guard FileManager.default.createFile(atPath: output, contents: data) else {
                            Output.error("cannot write \(output)")
                            throw ExitCode(73)
                        }
                    } else {
                        Output.out(data)
                    }
                }
            }
        }
    }
}
