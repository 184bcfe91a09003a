import ArgumentParser
import COIProto

extension Placements {
    struct Agreements: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The agreement of a placement: written, confirmed by seeker, host contact and home manager, completed, published.",
            discussion: """
                An agreement is addressed by the placed seeker's id. Each of the three confirms their own part; a change \
                after a confirmation needs everyone's confirmation again (status RECONFIRMATION_NEEDED).
                """,
            subcommands: [Show.self, Save.self, Confirm.self, Complete.self, Publish.self])

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a placement's agreement and who has confirmed it.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The placed seeker's id.") var seeker: String

            func run() async throws {
                let agreement = try await Placements.call(options, Coi_Placements_V1_Agreements.Method.get, .with { $0.seekerID = seeker })
                Agreements.render(agreement, options)
            }
        }

        struct Save: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write or change the agreement (seeker, host contact or home manager).",
                discussion: "Fields left out keep their current value. The change is made on the version read unless --base-version is given.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The placed seeker's id.") var seeker: String
            @Option(help: "What the seeker comes to learn.") var goals: String?
            @Option(help: "Days, 1–5.") var days: Int32?
            @Option(help: "What the seeker will do.") var tasks: String?
            @Option(help: "Who meets the seeker and how to reach them.") var contact: String?
            @Option(help: "What stays at the host.") var confidentiality: String?
            @Option(help: "The version your change is based on (default: the current one).") var baseVersion: Int64?

            func run() async throws {
                try await Session.with(options) { session in
                    let current = try await session.call(Coi_Placements_V1_Agreements.Method.get, .with { $0.seekerID = seeker })
                    let saved = try await session.call(Coi_Placements_V1_Agreements.Method.save, .with {
                        $0.seekerID = seeker
                        $0.goals = goals ?? current.goals
                        $0.days = days ?? current.days
                        $0.tasks = tasks ?? current.tasks
                        $0.contact = contact ?? current.contact
                        $0.confidentiality = confidentiality ?? current.confidentiality
                        $0.baseVersion = baseVersion ?? current.version
                    })
                    Agreements.render(saved, options)
                }
            }
        }

        struct Confirm: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Confirm your part: as the seeker, the host contact or the home manager.")
            enum Part: String, ExpressibleByArgument, CaseIterable {
                case seeker, host, manager
                var proto: Coi_Placements_V1_Party {
                    switch self {
                    case .seeker: .seeker
                    case .host: .host
                    case .manager: .manager
                    }
                }
            }
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The placed seeker's id.") var seeker: String
            @Option(name: .customLong("as"), help: "seeker, host or manager.") var part: Part
            @Option(help: "The version you read (refused if it changed since; default: the current one).") var version: Int64 = 0

            func run() async throws {
                let agreement = try await Placements.call(options, Coi_Placements_V1_Agreements.Method.confirm, .with {
                    $0.seekerID = seeker
                    $0.party = part.proto
                    $0.version = version
                })
                Agreements.render(agreement, options)
            }
        }

        struct Complete: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Complete your placement with an evaluation (the seeker).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "Your seeker id.") var seeker: String
            @Option(help: "What you learned.") var learned: String
            @Option(help: "Which ideas travel home.") var ideasHome: String

            func run() async throws {
                let agreement = try await Placements.call(options, Coi_Placements_V1_Agreements.Method.complete, .with {
                    $0.seekerID = seeker
                    $0.learned = learned
                    $0.ideasHome = ideasHome
                })
                Agreements.render(agreement, options)
            }
        }

        struct Publish: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Publish your evaluation as a wiki case page (credited to you).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "Your seeker id.") var seeker: String
            @Option(help: "The page title without \"Case:\" (default: from the season and the workplaces).") var title = ""
            @Option(help: "The case's sector, e.g. health (default: the offer's).") var sector = ""

            func run() async throws {
                let agreement = try await Placements.call(options, Coi_Placements_V1_Agreements.Method.publish, .with {
                    $0.seekerID = seeker
                    $0.title = title
                    $0.sector = sector
                })
                if options.json { Agreements.render(agreement, options) } else { print("\(agreement.casePageID)  \(agreement.casePageTitle)") }
            }
        }

        /// The agreement as JSON, or its fields and a line per confirmation.
        static func render(_ agreement: Coi_Placements_V1_Agreement, _ options: GlobalOptions) {
            if options.json {
                Placements.show(agreement, options)
                return
            }
            var shown = agreement
            shown.confirmations = []
            Placements.show(shown, options)
            print("")
            Placements.list(agreement.confirmations, options, columns: ["party", "name", "confirmed", "confirmed_version", "confirmed_at"])
        }
    }
}
