import ArgumentParser
import COIProto
import COIRPC

extension Nominations {
    /// A nominee given as NAME, NAME@ACCOUNT_ID or @ACCOUNT_ID (the account's name). An "@" that is
    /// not followed by an account id is refused rather than sent as part of a name.
    static func nominees(_ entries: [String]) throws -> [Coi_Nominations_V1_Nominee] {
        try entries.map { entry in
            guard let at = entry.lastIndex(of: "@") else { return .with { $0.name = entry } }
            let account = entry[entry.index(after: at)...].trimmingCharacters(in: .whitespaces)
            guard account.hasPrefix("acc_"), account.count > 4 else {
                throw ValidationError("--nominee \(entry): write NAME, NAME@ACCOUNT_ID or @ACCOUNT_ID (an account id starts with acc_)")
            }
            return .with {
                $0.name = String(entry[..<at]).trimmingCharacters(in: .whitespaces)
                $0.accountID = account
            }
        }
    }

    static let nominationColumns = ["id", "state", "region_name:region", "endorsements", "consented", "hidden", "duplicate_of", "title"]

    struct Submit: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "Nominate a colleague or a team; prints the nomination's id.")
        static let rpc = Coi_Nominations_V1_Nominations.Method.submit
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Option(help: ArgumentHelp("A nominee, NAME, NAME@ACCOUNT_ID or @ACCOUNT_ID (repeatable for a team).", valueName: "name"))
        var nominee: [String]
        @Option(help: "The nominees' workplace.") var workplace: String
        @Option(help: ArgumentHelp("The workplace's municipality: a code (101) or a name in any spelling (København, Lyngby-Taarbaek).",
                                   valueName: "municipality")) var municipality: String
        @Option(help: "Title.") var title: String
        @Option(help: "The idea.") var idea: String
        @Option(help: "The difference it made for citizens, colleagues, the municipality.") var difference: String
        @Option(help: "Copycat: where the idea was copied from.") var origin = ""
        @Option(help: "Copycat: a wiki case link (wiki:…).") var originWikiCase = ""

        func request() throws -> Coi_Nominations_V1_SubmitNominationRequest {
            try .with {
                $0.campaignID = campaign
                $0.nominees = try Nominations.nominees(nominee)
                $0.workplace = workplace
                $0.title = title
                $0.idea = idea
                $0.difference = difference
                $0.origin = origin
                $0.originWikiCase = originWikiCase
            }
        }

        func resolve(_ request: Coi_Nominations_V1_SubmitNominationRequest, _ session: Session) async throws -> Coi_Nominations_V1_SubmitNominationRequest {
            var request = request
            request.municipalityCode = try await Places.municipalityCode(municipality, session)
            return request
        }

        func render(_ nomination: Coi_Nominations_V1_Nomination) { render(nomination, text: nomination.id) }
    }

    struct List: ListCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a campaign's nominations you may see.", aliases: ["list"])
        static let rpc = Coi_Nominations_V1_Nominations.Method.list
        @OptionGroup var options: GlobalOptions
        @OptionGroup var paging: PageOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Option(help: "Only this state.") var state: StateArgument?
        @Option(help: "Only this region: a code (1085), a slug or a name in any spelling (\"Region Sjælland\", sjaelland).") var region = ""
        @Flag(help: "Only your own nominations.") var mine = false
        @Flag(help: "Screeners and moderators: include hidden ones.") var hidden = false
        @Flag(help: "Only those flagged as likely duplicates.") var duplicates = false

        func request() -> Coi_Nominations_V1_ListNominationsRequest {
            .with {
                $0.campaignID = campaign
                $0.state = state?.proto ?? .unspecified
                $0.region = region
                $0.mine = mine
                $0.includeHidden = hidden
                $0.duplicatesOnly = duplicates
            }
        }

        func render(_ nominations: [Coi_Nominations_V1_Nomination]) {
            Output.list(nominations, options, columns: Nominations.nominationColumns)
        }
    }

    struct Show: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "Show a nomination.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String

        static let rpc = Coi_Nominations_V1_Nominations.Method.get

        func request() -> Coi_Nominations_V1_GetNominationRequest { .with { $0.id = id } }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change your nomination while nominations are open.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Option(help: ArgumentHelp("Replace the nominees, NAME, NAME@ACCOUNT_ID or @ACCOUNT_ID (repeatable).", valueName: "name"))
        var nominee: [String] = []
        @Option(help: "Workplace.") var workplace: String?
        @Option(help: ArgumentHelp("The municipality: a code or a name (København).", valueName: "municipality")) var municipality: String?
        @Option(help: "Title.") var title: String?
        @Option(help: "The idea.") var idea: String?
        @Option(help: "The difference it made.") var difference: String?
        @Option(help: "Copycat origin.") var origin: String?
        @Option(help: "Copycat wiki case link (wiki:Case:Title).") var originWikiCase: String?
        @Option(help: ArgumentHelp("The version you read (nominations show); if it changed since, nothing is saved (ABORTED). "
                                   + "Default: the version read just before saving.", valueName: "n"))
        var version: Int64?

        func run() async throws {
            let nominees = try Nominations.nominees(nominee)
            try await Session.with(options) { session in
                var request = Coi_Nominations_V1_UpdateNominationRequest.with { $0.id = id }
                if let version {
                    request.version = version
                } else {
                    let current = try await session.call(Coi_Nominations_V1_Nominations.Method.get, Coi_Nominations_V1_GetNominationRequest.with { $0.id = id })
                    request.version = current.version
                }
                if !nominee.isEmpty { request.nominees = nominees; request.updateMask.append("nominees") }
                if let workplace { request.workplace = workplace; request.updateMask.append("workplace") }
                if municipality != nil {
                    request.municipalityCode = try await Places.municipalityCode(municipality, session)
                    request.updateMask.append("municipality_code")
                }
                if let title { request.title = title; request.updateMask.append("title") }
                if let idea { request.idea = idea; request.updateMask.append("idea") }
                if let difference { request.difference = difference; request.updateMask.append("difference") }
                if let origin { request.origin = origin; request.updateMask.append("origin") }
                if let originWikiCase { request.originWikiCase = originWikiCase; request.updateMask.append("origin_wiki_case") }
                Output.show(try await session.call(Coi_Nominations_V1_Nominations.Method.update, request),
                                 options)
            }
        }
    }

    struct Withdraw: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw your nomination.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Option(help: "Why.") var reason = ""

        static let rpc = Coi_Nominations_V1_Nominations.Method.withdraw

        func request() -> Coi_Nominations_V1_WithdrawNominationRequest {
            .with {
                    $0.id = id
                    $0.reason = reason
            
            }
        }
    }

    struct Consent: UnaryCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a nominee's consent to being made public.",
            discussion: "A nominee with an account consents themself; a screener records consent given otherwise.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Option(help: ArgumentHelp("Which nominee (0-based).", valueName: "n")) var nominee: Int32 = 0

        static let rpc = Coi_Nominations_V1_Nominations.Method.consent

        func request() -> Coi_Nominations_V1_ConsentRequest {
            .with {
                    $0.nominationID = id
                    $0.nomineeIndex = nominee
            
            }
        }
    }

    struct Screen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Screen nominations: eligible, ineligible (with --reason) or shortlist.")
        enum Decision: String, ExpressibleByArgument, CaseIterable { case eligible, ineligible, shortlist }
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Argument(help: "eligible, ineligible or shortlist.") var decision: Decision
        @Argument(help: "Nomination ids (1–1000).") var ids: [String]
        @Option(help: "Why (required for ineligible).") var reason = ""

        func run() async throws {
            try await Session.with(options) { session in
                let reply = try await session.call(Coi_Nominations_V1_Nominations.Method.screen, Coi_Nominations_V1_ScreenRequest.with {
                    $0.campaignID = campaign
                    $0.nominationIds = ids
                    $0.decision = switch decision {
                    case .eligible: .markEligible
                    case .ineligible: .markIneligible
                    case .shortlist: .shortlist
                    }
                    $0.reason = reason
                })
                Output.list(reply.nominations, options, columns: ["id", "state", "state_reason", "title"])
            }
        }
    }

    struct Endorse: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "Endorse a nomination (one endorsement per person).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Flag(help: "Take your endorsement back.") var undo = false

        static let rpc = Coi_Nominations_V1_Nominations.Method.endorse

        func request() -> Coi_Nominations_V1_EndorseRequest {
            .with {
                    $0.nominationID = id
                    $0.withdraw = undo
            
            }
        }
    }

    struct Report: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "Report a nomination to the moderators.")
        enum Reason: String, ExpressibleByArgument, CaseIterable { case spam, offensive, doesNotBelong = "does-not-belong" }
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Argument(help: "spam, offensive or does-not-belong.") var reason: Reason
        @Option(help: "A note for the moderators.") var note = ""

        static let rpc = Coi_Nominations_V1_Nominations.Method.report

        func request() -> Coi_Nominations_V1_ReportRequest {
            .with {
                    $0.nominationID = id
                    $0.reason = switch reason {
                    case .spam: .spam
                    case .offensive: .offensive
                    case .doesNotBelong: .doesNotBelong
                    }
                    $0.note = note
            
            }
        }
    }

    struct Restore: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "Moderators: restore a nomination hidden by reports.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Option(help: "Why, for the audit log.") var reason = ""

        static let rpc = Coi_Nominations_V1_Nominations.Method.restore

        func request() -> Coi_Nominations_V1_RestoreRequest {
            .with {
                    $0.nominationID = id
                    $0.reason = reason
            
            }
        }
    }

    struct Hide: UnaryCommand {
        static let configuration = CommandConfiguration(
            abstract: "Moderators: hide a nomination at once, without waiting for reports.",
            discussion: "The reason is required and recorded in the audit log. `nominations restore` shows it again.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Option(help: "Why, for the audit log (required).") var reason: String

        static let rpc = Coi_Nominations_V1_Nominations.Method.hide

        func request() -> Coi_Nominations_V1_HideRequest {
            .with {
                $0.nominationID = id
                $0.reason = reason
            }
        }

        func render(_ reply: Coi_Nominations_V1_Nomination) { render(reply, text: "\(reply.id) hidden") }
    }

    struct Reports: ListCommand {
        static let configuration = CommandConfiguration(
            abstract: "Moderators: every report on a campaign's nominations, open and dismissed, with reasons.",
            discussion: "Reports are history: a restore marks them dismissed (STATE), a later report by the same person is a new row.")
        static let rpc = Coi_Nominations_V1_Nominations.Method.listReports
        @OptionGroup var options: GlobalOptions
        @OptionGroup var paging: PageOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Option(help: "Only this nomination's reports.") var nomination = ""
        @Flag(help: "Only reports no restore has dismissed yet.") var open = false
        @Flag(help: ArgumentHelp("Dismissed reports are always listed now; kept for old scripts.", visibility: .hidden)) var dismissed = false

        func request() -> Coi_Nominations_V1_ListReportsRequest {
            .with {
                $0.campaignID = campaign
                $0.nominationID = nomination
                $0.openOnly = open
            }
        }

        func render(_ reports: [Coi_Nominations_V1_NominationReport]) {
            Output.table(["REPORT", "NOMINATION", "REASON", "REPORTER", "CREATED", "STATE", "NOTE"], reports.map { report in
                let reason = switch report.reason {
                case .spam: "spam"
                case .offensive: "offensive"
                case .doesNotBelong: "does-not-belong"
                default: "-"
                }
                return [report.id, report.nominationID, reason, report.reporterName.isEmpty ? "-" : report.reporterName, report.createdAt,
                        report.dismissed ? "dismissed \(report.dismissedAt)" : "open", report.note.isEmpty ? "-" : report.note]
            })
        }
    }

    struct Audience: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "The audience prize: public nominations by endorsements.")
        static let rpc = Coi_Nominations_V1_Nominations.Method.audiencePrize
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Option(help: ArgumentHelp("How many, 1–500 (default: 10).", valueName: "n")) var limit: Int32?

        func request() -> Coi_Nominations_V1_AudiencePrizeRequest {
            .with {
                $0.campaignID = campaign
                $0.limit = limit ?? 0
            }
        }

        func render(_ reply: Coi_Nominations_V1_AudiencePrizeReply) {
            Output.list(reply.entries, options, columns: ["rank", "nomination_id", "endorsements", "region_name:region", "title"])
        }
    }
}
