import ArgumentParser
import COIProto
import COIWire
import Foundation

extension Nominations {
    struct Jurors: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Seat, unseat and list a campaign's jurors.",
                                                        subcommands: [Add.self, Remove.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Seat a juror: binds the role juror in scope campaign:<id> and adds them to the jury.",
                discussion: "With --region the juror scores only that region's nominations.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The campaign's id.") var campaign: String
            @Argument(help: "The juror's account id.") var account: String
            @Option(help: "Only this region (nordjylland, midtjylland, syddanmark, hovedstaden, sjaelland).") var region = ""

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                do {
                    _ = try await session.connection.call(Coi_Identity_V1_Roles.Method.bind, Coi_Identity_V1_BindRoleRequest.with {
                        $0.accountID = account
                        $0.role = "nominations.juror"
                        $0.scope = "campaign:\(campaign)"
                    }, metadata: options.metadata, timeout: options.deadline)
                } catch let error as RPCError where error.code == .alreadyExists {
                    // Already bound: seating again only changes the region.
                } catch let error as RPCError {
                    throw Session.fail(error)
                }
                let juror = try await session.call(Coi_Nominations_V1_Jury.Method.addJuror, Coi_Nominations_V1_AddJurorRequest.with {
                    $0.campaignID = campaign
                    $0.accountID = account
                    $0.region = region
                })
                Nominations.show(juror, options)
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "rm", abstract: "Unseat a juror (their sheets go with them).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The campaign's id.") var campaign: String
            @Argument(help: "The juror's account id.") var account: String

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                let juror = try await session.call(Coi_Nominations_V1_Jury.Method.removeJuror, Coi_Nominations_V1_RemoveJurorRequest.with {
                    $0.campaignID = campaign
                    $0.accountID = account
                })
                do {
                    _ = try await session.connection.call(Coi_Identity_V1_Roles.Method.unbind, Coi_Identity_V1_UnbindRoleRequest.with {
                        $0.accountID = account
                        $0.role = "nominations.juror"
                        $0.scope = "campaign:\(campaign)"
                    }, metadata: options.metadata, timeout: options.deadline)
                } catch let error as RPCError where error.code == .notFound {
                    // The binding was already gone.
                } catch let error as RPCError {
                    throw Session.fail(error)
                }
                Nominations.show(juror, options)
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a campaign's jurors.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The campaign's id.") var campaign: String
            @Flag(help: "Fetch every page.") var all = false

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                var request = Coi_Nominations_V1_ListJurorsRequest.with { $0.campaignID = campaign }
                let (jurors, more) = try await session.pages(all: all) { token in
                    request.pageToken = token
                    let reply = try await session.call(Coi_Nominations_V1_Jury.Method.listJurors, request)
                    return (reply.jurors, reply.nextPageToken)
                }
                Nominations.list(jurors, options, columns: ["account_id", "name", "region", "added_at"])
                if more { Output.error("more jurors follow: use --all") }
            }
        }
    }

    struct Conflict: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jurors: declare a conflict of interest with a nomination.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Option(help: "The conflict, e.g. \"my sister's team\".") var reason: String

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            Nominations.show(try await session.call(Coi_Nominations_V1_Jury.Method.declareConflict, Coi_Nominations_V1_DeclareConflictRequest.with {
                $0.nominationID = id
                $0.reason = reason
            }), options)
        }
    }

    struct Assignments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jurors: the shortlisted nominations you score, and where you are recused.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Flag(help: "Fetch every page.") var all = false

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            var request = Coi_Nominations_V1_ListAssignmentsRequest.with { $0.campaignID = campaign }
            var recusals: [Coi_Nominations_V1_Conflict] = []
            let (assignments, more) = try await session.pages(all: all) { token in
                request.pageToken = token
                let reply = try await session.call(Coi_Nominations_V1_Jury.Method.listAssignments, request)
                recusals += reply.recusals
                return (reply.assignments, reply.nextPageToken)
            }
            if options.json {
                Output.json(["assignments": assignments.map(Nominations.object), "recusals": recusals.map(Nominations.object)] as [String: Any])
            } else {
                Output.table(["ID", "SCORED", "REGION", "TITLE"], assignments.map {
                    [$0.nomination.id, $0.scored ? "yes" : "no", $0.nomination.region, $0.nomination.title]
                })
                for recusal in recusals { print("recused from \(recusal.nominationID): \(recusal.reason)") }
            }
            if more { Output.error("more assignments follow: use --all") }
        }
    }

    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Jurors: score nominations, one score 1–5 per rubric criterion.",
            discussion: """
                Either one nomination with --scores 4,5,3,4, or --file with one sheet per line: \
                NOMINATION_ID,SCORE,SCORE,… (a new sheet replaces your earlier one).
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Argument(help: "The nomination's id (without --file).") var nomination: String?
        @Option(help: ArgumentHelp("Scores in rubric order, e.g. 4,5,3,4.", valueName: "list")) var scores: String?
        @Option(help: "A comment on the sheet.") var comment = ""
        @Option(help: ArgumentHelp("A file of sheets, one NOMINATION_ID,SCORE,… per line.", valueName: "path")) var file: String?

        func validate() throws {
            if (file == nil) == (nomination == nil || scores == nil) {
                throw ValidationError("give a nomination with --scores, or --file")
            }
        }

        func run() async throws {
            var sheets: [Coi_Nominations_V1_ScoreSheet] = []
            if let file {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() where !line.isEmpty {
                    let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    let values = fields.dropFirst().compactMap { Int32($0) }
                    guard fields.count > 1, values.count == fields.count - 1 else {
                        throw ValidationError("\(file):\(number + 1): write NOMINATION_ID,SCORE,SCORE,…")
                    }
                    sheets.append(.with {
                        $0.nominationID = fields[0]
                        $0.scores = values
                    })
                }
            } else if let nomination, let scores {
                let values = scores.split(separator: ",").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
                sheets = [.with {
                    $0.nominationID = nomination
                    $0.scores = values
                    $0.comment = comment
                }]
            }
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            var saved: Int32 = 0
            for start in stride(from: 0, to: sheets.count, by: 1000) {
                let reply = try await session.call(Coi_Nominations_V1_Jury.Method.score, Coi_Nominations_V1_ScoreRequest.with {
                    $0.campaignID = campaign
                    $0.sheets = Array(sheets[start..<min(start + 1000, sheets.count)])
                })
                saved += reply.saved
            }
            if options.json { Output.json(["saved": Int(saved)]) } else { print("saved \(saved) sheet\(saved == 1 ? "" : "s")") }
        }
    }

    struct Scores: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List score sheets (jurors see their own).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Option(help: "Only this nomination.") var nomination = ""
        @Option(help: "Only this juror.") var juror = ""
        @Flag(help: "Fetch every page.") var all = false

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            var request = Coi_Nominations_V1_ListScoresRequest.with {
                $0.campaignID = campaign
                $0.nominationID = nomination
                $0.jurorID = juror
            }
            let (sheets, more) = try await session.pages(all: all) { token in
                request.pageToken = token
                let reply = try await session.call(Coi_Nominations_V1_Jury.Method.listScores, request)
                return (reply.sheets, reply.nextPageToken)
            }
            Nominations.list(sheets, options, columns: ["nomination_id", "juror_id", "scores", "weighted", "updated_at"])
            if more { Output.error("more sheets follow: use --all") }
        }
    }
}
