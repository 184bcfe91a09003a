import ArgumentParser
import COIProto
import COIRPC
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
            @Option(help: "Only this region: a code (1085), a slug or a name in any spelling (\"Region Sjælland\", sjaelland).") var region = ""

            func run() async throws {
                try await Session.with(options) { session in
                    // Already bound: seating again only changes the region.
                    try await session.call(Coi_Identity_V1_Roles.Method.bind, Coi_Identity_V1_BindRoleRequest.with {
                        $0.accountID = account
                        $0.role = "nominations.juror"
                        $0.scope = "campaign:\(campaign)"
                    }, tolerating: [.alreadyExists])
                    let juror = try await session.call(Coi_Nominations_V1_Jury.Method.addJuror, Coi_Nominations_V1_AddJurorRequest.with {
                        $0.campaignID = campaign
                        $0.accountID = account
                        $0.region = region
                    })
                    Output.show(juror, options)
                }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "rm", abstract: "Unseat a juror (their sheets go with them).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The campaign's id.") var campaign: String
            @Argument(help: "The juror's account id.") var account: String

            func run() async throws {
                try await Session.with(options) { session in
                    let juror = try await session.call(Coi_Nominations_V1_Jury.Method.removeJuror, Coi_Nominations_V1_RemoveJurorRequest.with {
                        $0.campaignID = campaign
                        $0.accountID = account
                    })
                    // NOT_FOUND: the binding was already gone.
                    try await session.call(Coi_Identity_V1_Roles.Method.unbind, Coi_Identity_V1_UnbindRoleRequest.with {
                        $0.accountID = account
                        $0.role = "nominations.juror"
                        $0.scope = "campaign:\(campaign)"
                    }, tolerating: [.notFound])
                    Output.show(juror, options)
                }
            }
        }

        struct List: ListCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a campaign's jurors.", aliases: ["list"])
            static let rpc = Coi_Nominations_V1_Jury.Method.listJurors
            @OptionGroup var options: GlobalOptions
            @OptionGroup var paging: PageOptions
            @Argument(help: "The campaign's id.") var campaign: String

            func request() -> Coi_Nominations_V1_ListJurorsRequest { .with { $0.campaignID = campaign } }
            func render(_ jurors: [Coi_Nominations_V1_Juror]) { Output.list(jurors, options, columns: ["account_id", "name", "region_name:region", "added_at"]) }
        }
    }

    struct Conflict: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "Jurors: declare a conflict of interest with a nomination.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Option(help: "The conflict, e.g. \"my sister's team\".") var reason: String

        static let rpc = Coi_Nominations_V1_Jury.Method.declareConflict

        func request() -> Coi_Nominations_V1_DeclareConflictRequest {
            .with {
                    $0.nominationID = id
                    $0.reason = reason
            
            }
        }
    }

    struct Assignments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Jurors: the shortlisted nominations you score, and where you are recused.",
            discussion: "With --json one document: {\"assignments\": […], \"recusals\": […]}.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var paging: PageOptions
        @Argument(help: "The campaign's id.") var campaign: String

        func run() async throws {
            var request = Coi_Nominations_V1_ListAssignmentsRequest.with {
                $0.campaignID = campaign
                $0.pageSize = paging.pageSize ?? 0
                $0.pageToken = paging.pageToken
            }
            var assignments: [Coi_Nominations_V1_Assignment] = []
            var recusals: [Coi_Nominations_V1_Conflict] = []
            try await Session.with(options) { session in
                repeat {
                    let reply = try await session.call(Coi_Nominations_V1_Jury.Method.listAssignments, request)
                    assignments += reply.assignments
                    recusals += reply.recusals
                    request.pageToken = reply.nextPageToken
                } while paging.all && !request.pageToken.isEmpty
            }
            if options.json {
                Output.json(["assignments": assignments.map(ProtoJSON.value), "recusals": recusals.map(ProtoJSON.value)] as [String: Any])
            } else {
                Output.table(["ID", "SCORED", "REGION", "TITLE"], assignments.map {
                    [$0.nomination.id, $0.scored ? "yes" : "no", $0.nomination.regionName, $0.nomination.title]
                })
                for recusal in recusals { Output.line(Output.escapeControls("recused from \(recusal.nominationID): \(recusal.reason)")) }
            }
            if !request.pageToken.isEmpty {
                Output.error("more follow: --page-token \(request.pageToken) for the next page, or --all for every page")
            }
        }
    }

    struct Score: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Jurors: score nominations, one score 1–5 per rubric criterion.",
            usage: """
                coictl nominations score <campaign> <nomination> --scores 4,5,3,4 [--comment <text>]
                  coictl nominations score <campaign> --file <path>
                """,
            discussion: """
                Either one nomination with --scores 4,5,3,4, or --file with one sheet per line: NOMINATION_ID;SCORE;SCORE;… \
                or NOMINATION_ID,SCORE,SCORE,… (a new sheet replaces your earlier one). The file may be what Danish Excel \
                saves: semicolons, decimal commas (4,0), a header row (a column named comment or kommentar holds the \
                comment), quoted fields and a byte order mark. An error names the line and column; nothing is saved then.
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Argument(help: "The nomination's id (without --file).") var nomination: String?
        @Option(help: ArgumentHelp("Scores in rubric order, e.g. 4,5,3,4.", valueName: "list")) var scores: String?
        @Option(help: "A comment on the sheet.") var comment = ""
        @Option(help: ArgumentHelp("A file of sheets, one NOMINATION_ID;SCORE;… per line (- for stdin).", valueName: "path")) var file: String?

        func validate() throws {
            if file != nil && (nomination != nil || scores != nil) {
                throw ValidationError("give either --file, or a nomination with --scores, not both")
            }
            if file == nil && (nomination == nil || scores == nil) {
                throw ValidationError(nomination == nil ? "give a nomination with --scores, or --file" : "give the scores with --scores, e.g. 4,5,3,4")
            }
        }

        func run() async throws {
            var sheets: [ScoreFile.Sheet] = []
            if let file {
                let data = try Network.readFile(file)
                guard let text = String(data: data, encoding: .utf8) else {
                    Output.failure(code: "INVALID_FILE", message: "\(file) is not UTF-8 text; save it as \"CSV UTF-8\" (Excel) and try again")
                    throw ExitCode(65)
                }
                do {
                    sheets = try ScoreFile.parse(text)
                } catch let problem as ScoreFile.Problem {
                    Output.failure(code: "INVALID_FILE", message: "\(file), \(problem.description)")
                    throw ExitCode(65)
                }
            } else if let nomination, let scores {
                var values: [Int32] = []
                for (index, part) in scores.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                    guard let value = Int32(part.trimmingCharacters(in: .whitespaces)) else {
                        throw ValidationError("--scores \(scores): score \(index + 1) \"\(part)\" is not a whole number 1–5; write e.g. 4,5,3,4")
                    }
                    values.append(value)
                }
                sheets = [ScoreFile.Sheet(line: 0, nominationID: nomination, scores: values, comment: comment)]
            }
            let all = sheets
            try await Session.with(options) { session in
                var saved: Int32 = 0
                for start in stride(from: 0, to: all.count, by: 1000) {
                    let batch = Array(all[start..<min(start + 1000, all.count)])
                    do {
                        let request = Coi_Nominations_V1_ScoreRequest.with {
                            $0.campaignID = campaign
                            $0.sheets = batch.map { sheet in
                                .with {
                                    $0.nominationID = sheet.nominationID
                                    $0.scores = sheet.scores
                                    $0.comment = sheet.comment
                                }
                            }
                        }
                        // Called directly, not through `session.call`, so a refusal can name the file's lines before it is printed.
                        let reply = try await session.connection.call(Coi_Nominations_V1_Jury.Method.score, request, metadata: options.metadata,
                                                                      timeout: options.deadline)
                        saved += reply.saved
                    } catch let error as RPCError {
                        throw Session.fail(file == nil ? error : Self.located(error, lines: batch.map(\.line), offset: start))
                    }
                }
                if options.json { Output.json(["saved": Int(saved)]) } else { Output.line("saved \(saved) sheet\(saved == 1 ? "" : "s")") }
            }
        }

        /// The server's error with each "sheets[i]" it names followed by the file's line, so a juror
        /// finds the row in the spreadsheet.
        static func located(_ error: RPCError, lines: [Int], offset: Int) -> RPCError {
            func locate(_ text: String) -> String {
                var result = ""
                var rest = Substring(text)
                while let range = rest.range(of: "sheets[") {
                    result += rest[..<range.upperBound]
                    rest = rest[range.upperBound...]
                    let digits = rest.prefix { $0.isNumber }
                    guard let index = Int(digits), rest.dropFirst(digits.count).first == "]", lines.indices.contains(index) else { continue }
                    let after = rest.dropFirst(digits.count + 1)
                    let tail = after.prefix { $0 != ":" && $0 != " " }
                    result += "\(index + offset)]\(tail) (line \(lines[index]))"
                    rest = after.dropFirst(tail.count)
                }
                return result + rest
            }
            var located = error
            located.message = locate(error.message)
            located.fieldViolations = error.fieldViolations.map { RPCError.FieldViolation(field: locate($0.field), description: $0.description) }
            return located
        }
    }

    struct Scores: ListCommand {
        static let configuration = CommandConfiguration(abstract: "List score sheets (jurors see their own).")
        static let rpc = Coi_Nominations_V1_Jury.Method.listScores
        @OptionGroup var options: GlobalOptions
        @OptionGroup var paging: PageOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Option(help: "Only this nomination.") var nomination = ""
        @Option(help: "Only this juror.") var juror = ""

        func request() -> Coi_Nominations_V1_ListScoresRequest {
            .with {
                $0.campaignID = campaign
                $0.nominationID = nomination
                $0.jurorID = juror
            }
        }

        func render(_ sheets: [Coi_Nominations_V1_ScoreSheet]) {
            Output.list(sheets, options, columns: ["nomination_id", "juror_id", "scores", "weighted", "updated_at"])
        }
    }
}
