import ArgumentParser
import COIProto
import COIRPC

extension Nominations {
    struct Campaigns: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, list, change campaigns and set their phase.",
            subcommands: [Create.self, List.self, Show.self, Update.self, Phase.self])

        struct Create: UnaryCommand {
            static let configuration = CommandConfiguration(abstract: "Create a campaign (in phase draft) and print its id.")
            static let rpc = Coi_Nominations_V1_Campaigns.Method.create
            @OptionGroup var options: GlobalOptions
            @Option(help: "idea (Best Smallest Idea) or copycat (the copycat prize).") var kind: KindArgument
            @Option(help: "The campaign's year.") var year: Int32
            @Option(help: "Title.") var title: String
            @Option(help: "The prize, e.g. \"10,000 DKK for an event at the winner's workplace\".") var prize = ""
            @Option(help: ArgumentHelp("When a phase starts, PHASE=TIME (repeatable), e.g. open=2026-03-01.", valueName: "phase=time"))
            var schedule: [String] = []
            @Option(help: ArgumentHelp("A rubric criterion KEY:WEIGHT[:NAME] (repeatable) (default: the default rubric).",
                                       valueName: "criterion"))
            var criterion: [String] = []
            @Flag(help: "Hide names from jurors.") var blind = false
            @Flag(help: "Normalise each juror's scores (z-scores) before averaging.") var normalise = false
            @Option(help: ArgumentHelp("Nominations per nominator (default: the configured limit).", valueName: "n")) var limit: Int32?
            @Flag(help: "Create it even if a campaign of that year has the same title.") var allowDuplicate = false

            func request() throws -> Coi_Nominations_V1_CreateCampaignRequest {
                try .with {
                    $0.kind = kind.proto
                    $0.year = year
                    $0.title = title
                    $0.prize = prize
                    $0.schedule = try Nominations.schedule(schedule)
                    $0.criteria = try Nominations.criteria(criterion)
                    $0.blindReview = blind
                    $0.normaliseScores = normalise
                    $0.nominatorLimit = limit ?? 0
                    $0.allowDuplicateTitle = allowDuplicate
                }
            }

            func render(_ campaign: Coi_Nominations_V1_Campaign) { render(campaign, text: campaign.id) }
        }

        struct List: ListCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List campaigns.", aliases: ["list"])
            static let rpc = Coi_Nominations_V1_Campaigns.Method.list
            @OptionGroup var options: GlobalOptions
            @OptionGroup var paging: PageOptions
            @Option(help: "Only this kind.") var kind: KindArgument?
            @Option(help: "Only this year.") var year: Int32?
            @Option(help: "Only campaigns now in this phase.") var phase: PhaseArgument?

            func request() -> Coi_Nominations_V1_ListCampaignsRequest {
                .with {
                    $0.kind = kind?.proto ?? .unspecified
                    $0.year = year ?? 0
                    $0.phase = phase?.proto ?? .unspecified
                }
            }

            func render(_ campaigns: [Coi_Nominations_V1_Campaign]) {
                Output.list(campaigns, options, columns: ["id", "kind", "year", "phase", "title"])
            }
        }

        struct Show: UnaryCommand {
            static let configuration = CommandConfiguration(abstract: "Show a campaign with its schedule and rubric.")
            static let rpc = Coi_Nominations_V1_Campaigns.Method.get
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The campaign's id.") var id: String

            func request() -> Coi_Nominations_V1_GetCampaignRequest { .with { $0.id = id } }
        }

        struct Update: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Change a campaign.",
                discussion: """
                    Only the options given change. Without --version the current version is read first; a change made \
                    in between fails with ABORTED.
                    """)
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The campaign's id.") var id: String
            @Option(help: "Title.") var title: String?
            @Option(help: "Prize.") var prize: String?
            @Option(help: ArgumentHelp("Replace the schedule, PHASE=TIME (repeatable).", valueName: "phase=time")) var schedule: [String] = []
            @Option(help: ArgumentHelp("Replace the rubric, KEY:WEIGHT[:NAME] (repeatable).", valueName: "criterion")) var criterion: [String] = []
            @Option(help: "Blind review: true or false.") var blind: Bool?
            @Option(help: "Normalise scores: true or false.") var normalise: Bool?
            @Option(help: ArgumentHelp("Nominations per nominator; 0 = default.", valueName: "n")) var limit: Int32?
            @Flag(help: "Keep the new title even if a campaign of that year has the same one.") var allowDuplicate = false
            @Option(help: ArgumentHelp("The version you read (campaigns show); if it changed since, nothing is saved (ABORTED).",
                                       valueName: "n"))
            var version: Int64?

            func run() async throws {
                try await Session.with(options) { session in
                    var request = Coi_Nominations_V1_UpdateCampaignRequest.with {
                        $0.id = id
                        $0.allowDuplicateTitle = allowDuplicate
                    }
                    if let version {
                        request.version = version
                    } else {
                        let current = try await session.call(Coi_Nominations_V1_Campaigns.Method.get,
                                                             Coi_Nominations_V1_GetCampaignRequest.with { $0.id = id })
                        request.version = current.version
                    }
                    if let title { request.title = title; request.updateMask.append("title") }
                    if let prize { request.prize = prize; request.updateMask.append("prize") }
                    if !schedule.isEmpty { request.schedule = try Nominations.schedule(schedule); request.updateMask.append("schedule") }
                    if !criterion.isEmpty { request.criteria = try Nominations.criteria(criterion); request.updateMask.append("criteria") }
                    if let blind { request.blindReview = blind; request.updateMask.append("blind_review") }
                    if let normalise { request.normaliseScores = normalise; request.updateMask.append("normalise_scores") }
                    if let limit { request.nominatorLimit = limit; request.updateMask.append("nominator_limit") }
                    let campaign = try await session.call(Coi_Nominations_V1_Campaigns.Method.update, request)
                    Output.show(campaign, options)
                }
            }
        }

        struct Phase: UnaryCommand {
            static let configuration = CommandConfiguration(
                abstract: "Set a campaign's phase now (overrides the schedule until its next date).",
                discussion: """
                    Results are published with `coictl nominations results publish`, which sets the phase itself. Moving back \
                    to an earlier phase is refused, naming what was done in the later phases (score sheets, screening \
                    decisions, nominations); --force with --reason does it anyway (audited), keeping that data.
                    """)
            static let rpc = Coi_Nominations_V1_Campaigns.Method.setPhase
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The campaign's id.") var id: String
            @Argument(help: "draft, open, screening, jury or archived.") var phase: PhaseArgument
            @Option(help: "Why, for the audit log (required with --force).") var reason = ""
            @Flag(help: "Move back to an earlier phase although work was done in the later ones.") var force = false

            func validate() throws {
                if force && reason.trimmingCharacters(in: .whitespaces).isEmpty {
                    throw ValidationError("--force needs --reason: say why the campaign moves back, for the audit log")
                }
            }

            func request() -> Coi_Nominations_V1_SetPhaseRequest {
                .with {
                    $0.id = id
                    $0.phase = phase.proto
                    $0.reason = reason
                    $0.force = force
                }
            }
        }
    }
}
