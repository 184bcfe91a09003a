import ArgumentParser
import COIProto

extension Nominations {
    /// A nominee given as NAME or NAME@ACCOUNT_ID.
    static func nominees(_ entries: [String]) -> [Coi_Nominations_V1_Nominee] {
        entries.map { entry in
            let parts = entry.split(separator: "@", maxSplits: 1).map(String.init)
            return .with {
                $0.name = parts[0]
                $0.accountID = parts.count > 1 ? parts[1] : ""
            }
        }
    }

    static let nominationColumns = ["id", "state", "region", "endorsements", "consented", "hidden", "duplicate_of", "title"]

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Nominate a colleague or a team; prints the nomination's id.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Option(help: ArgumentHelp("A nominee, NAME or NAME@ACCOUNT_ID (repeatable for a team).", valueName: "name")) var nominee: [String]
        @Option(help: "The nominees' workplace.") var workplace: String
        @Option(help: ArgumentHelp("The workplace's municipality code (101 København …).", valueName: "code")) var municipality: Int32
        @Option(help: "Title.") var title: String
        @Option(help: "The idea.") var idea: String
        @Option(help: "The difference it made for citizens, colleagues, the municipality.") var difference: String
        @Option(help: "Copycat: where the idea was copied from.") var origin = ""
        @Option(help: "Copycat: a wiki case link (wiki:…).") var originWikiCase = ""

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            let nomination = try await session.call(Coi_Nominations_V1_Nominations.Method.submit, Coi_Nominations_V1_SubmitNominationRequest.with {
                $0.campaignID = campaign
                $0.nominees = Nominations.nominees(nominee)
                $0.workplace = workplace
                $0.municipalityCode = municipality
                $0.title = title
                $0.idea = idea
                $0.difference = difference
                $0.origin = origin
                $0.originWikiCase = originWikiCase
            })
            if options.json { Nominations.show(nomination, options) } else { print(nomination.id) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a campaign's nominations you may see.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Option(help: "Only this state.") var state: StateArgument?
        @Option(help: "Only this region (nordjylland, midtjylland, syddanmark, hovedstaden, sjaelland).") var region = ""
        @Flag(help: "Only your own nominations.") var mine = false
        @Flag(help: "Screeners and moderators: include hidden ones.") var hidden = false
        @Flag(help: "Only those flagged as likely duplicates.") var duplicates = false
        @Option(help: ArgumentHelp("Per page (1–500; default 100).", valueName: "n")) var limit: Int32 = 0
        @Flag(help: "Fetch every page.") var all = false

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            var request = Coi_Nominations_V1_ListNominationsRequest.with {
                $0.campaignID = campaign
                $0.state = state?.proto ?? .unspecified
                $0.region = region
                $0.mine = mine
                $0.includeHidden = hidden
                $0.duplicatesOnly = duplicates
                $0.pageSize = limit
            }
            let (nominations, more) = try await session.pages(all: all) { token in
                request.pageToken = token
                let reply = try await session.call(Coi_Nominations_V1_Nominations.Method.list, request)
                return (reply.nominations, reply.nextPageToken)
            }
            Nominations.list(nominations, options, columns: Nominations.nominationColumns)
            if more { Output.error("more nominations follow: use --all") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a nomination.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            Nominations.show(try await session.call(Coi_Nominations_V1_Nominations.Method.get, Coi_Nominations_V1_GetNominationRequest.with { $0.id = id }), options)
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change your nomination while nominations are open.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Option(help: ArgumentHelp("Replace the nominees, NAME or NAME@ACCOUNT_ID (repeatable).", valueName: "name")) var nominee: [String] = []
        @Option(help: "Workplace.") var workplace: String?
        @Option(help: ArgumentHelp("Municipality code.", valueName: "code")) var municipality: Int32?
        @Option(help: "Title.") var title: String?
        @Option(help: "The idea.") var idea: String?
        @Option(help: "The difference it made.") var difference: String?
        @Option(help: "Copycat origin.") var origin: String?
        @Option(help: "Copycat wiki case link.") var originWikiCase: String?

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            let current = try await session.call(Coi_Nominations_V1_Nominations.Method.get, Coi_Nominations_V1_GetNominationRequest.with { $0.id = id })
            var request = Coi_Nominations_V1_UpdateNominationRequest.with {
                $0.id = id
                $0.version = current.version
            }
            if !nominee.isEmpty { request.nominees = Nominations.nominees(nominee); request.updateMask.append("nominees") }
            if let workplace { request.workplace = workplace; request.updateMask.append("workplace") }
            if let municipality { request.municipalityCode = municipality; request.updateMask.append("municipality_code") }
            if let title { request.title = title; request.updateMask.append("title") }
            if let idea { request.idea = idea; request.updateMask.append("idea") }
            if let difference { request.difference = difference; request.updateMask.append("difference") }
            if let origin { request.origin = origin; request.updateMask.append("origin") }
            if let originWikiCase { request.originWikiCase = originWikiCase; request.updateMask.append("origin_wiki_case") }
            Nominations.show(try await session.call(Coi_Nominations_V1_Nominations.Method.update, request),
                             options)
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw your nomination.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Option(help: "Why.") var reason = ""

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            Nominations.show(try await session.call(Coi_Nominations_V1_Nominations.Method.withdraw, Coi_Nominations_V1_WithdrawNominationRequest.with {
                $0.id = id
                $0.reason = reason
            }), options)
        }
    }

    struct Consent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a nominee's consent to being made public.",
            discussion: "A nominee with an account consents themself; a screener records consent given otherwise.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Option(help: ArgumentHelp("Which nominee (0-based).", valueName: "n")) var nominee: Int32 = 0

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            Nominations.show(try await session.call(Coi_Nominations_V1_Nominations.Method.consent, Coi_Nominations_V1_ConsentRequest.with {
                $0.nominationID = id
                $0.nomineeIndex = nominee
            }), options)
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
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
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
            Nominations.list(reply.nominations, options, columns: ["id", "state", "state_reason", "title"])
        }
    }

    struct Endorse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Endorse a nomination (one endorsement per person).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Flag(help: "Take your endorsement back.") var undo = false

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            Nominations.show(try await session.call(Coi_Nominations_V1_Nominations.Method.endorse, Coi_Nominations_V1_EndorseRequest.with {
                $0.nominationID = id
                $0.withdraw = undo
            }), options)
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Report a nomination to the moderators.")
        enum Reason: String, ExpressibleByArgument, CaseIterable { case spam, offensive, doesNotBelong = "does-not-belong" }
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Argument(help: "spam, offensive or does-not-belong.") var reason: Reason
        @Option(help: "A note for the moderators.") var note = ""

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            Nominations.show(try await session.call(Coi_Nominations_V1_Nominations.Method.report, Coi_Nominations_V1_ReportRequest.with {
                $0.nominationID = id
                $0.reason = switch reason {
                case .spam: .spam
                case .offensive: .offensive
                case .doesNotBelong: .doesNotBelong
                }
                $0.note = note
            }), options)
        }
    }

    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Moderators: restore a nomination hidden by reports.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The nomination's id.") var id: String
        @Option(help: "Why, for the audit log.") var reason = ""

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            Nominations.show(try await session.call(Coi_Nominations_V1_Nominations.Method.restore, Coi_Nominations_V1_RestoreRequest.with {
                $0.nominationID = id
                $0.reason = reason
            }), options)
        }
    }

    struct Reports: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Moderators: the reports on a campaign's nominations, with reasons.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Option(help: "Only this nomination's reports.") var nomination = ""
        @Flag(help: "Include reports dismissed by a restore.") var dismissed = false
        @Flag(help: "Fetch every page.") var all = false

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            var request = Coi_Nominations_V1_ListReportsRequest.with {
                $0.campaignID = campaign
                $0.nominationID = nomination
                $0.includeDismissed = dismissed
            }
            let (reports, more) = try await session.pages(all: all) { token in
                request.pageToken = token
                let reply = try await session.call(Coi_Nominations_V1_Nominations.Method.listReports, request)
                return (reply.reports, reply.nextPageToken)
            }
            Nominations.list(reports, options, columns: ["nomination_id", "reason", "reporter_name", "created_at", "dismissed", "note"])
            if more { Output.error("more reports follow: use --all") }
        }
    }

    struct Audience: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The audience prize: public nominations by endorsements.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Option(help: ArgumentHelp("How many (1–500; default 10).", valueName: "n")) var limit: Int32 = 0

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            let reply = try await session.call(Coi_Nominations_V1_Nominations.Method.audiencePrize, Coi_Nominations_V1_AudiencePrizeRequest.with {
                $0.campaignID = campaign
                $0.limit = limit
            })
            Nominations.list(reply.entries, options, columns: ["rank", "nomination_id", "endorsements", "region", "title"])
        }
    }
}
