import ArgumentParser
import COIProto

extension Placements {
    struct Seekers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register as a seeker, answer approvals as a home manager, rank offers.",
            subcommands: [Register.self, Show.self, List.self, Approve.self, Decline.self, Choose.self, Choices.self])

        struct Register: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Register yourself as a seeker; your home manager is asked to approve.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The season's id.") var season: String
            @Option(help: "Your home workplace.") var workplace: String
            @Option(help: "municipal, regional or state.") var level: LevelArgument
            @Option(help: "Your municipality: a code (101) or a name in any spelling (København).") var municipality: String
            @Option(help: ArgumentHelp("Your home manager's account.", valueName: "account-id")) var manager: String
            @Option(help: "Your role, e.g. \"sagsbehandler\".") var role = ""
            @Option(help: "What you want to learn.") var goals = ""

            func run() async throws {
                let seeker = try await Placements.call(options, Coi_Placements_V1_Seekers.Method.register, .with {
                    $0.seasonID = season
                    $0.homeWorkplace = workplace
                    $0.level = level.proto
                    $0.managerID = manager
                    $0.role = role
                    $0.learningGoals = goals
                }) { request, session in request.municipalityCode = try await Places.municipalityCode(municipality, session) }
                if options.json { Placements.show(seeker, options) } else { print(seeker.id) }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a seeker (yourself, as their manager, or as a coordinator).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The seeker's id.") var id: String

            func run() async throws {
                Placements.show(try await Placements.call(options, Coi_Placements_V1_Seekers.Method.get, .with { $0.id = id }), options)
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a season's seekers (coordinators), or those awaiting your approval.", aliases: ["list"])
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The season's id.") var season: String
            @Flag(help: "Only seekers asking you, as their manager, for approval.") var awaitingMe = false
            @Flag(help: "Fetch every page.") var all = false

            func run() async throws {
                try await Session.with(options) { session in
                    var request = Coi_Placements_V1_ListSeekersRequest.with {
                        $0.seasonID = season
                        $0.awaitingMe = awaitingMe
                    }
                    let (seekers, more) = try await session.pages(all: all) { token in
                        request.pageToken = token
                        let reply = try await session.call(Coi_Placements_V1_Seekers.Method.list, request)
                        return (reply.seekers, reply.nextPageToken)
                    }
                    Placements.list(seekers, options, columns: ["id", "ref", "name", "approval", "choices", "home_workplace"])
                    if more { Output.error("more seekers follow: use --all") }
                }
            }
        }

        struct Approve: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Approve a seeker's placement as their named home manager.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The seeker's id.") var id: String

            func run() async throws {
                Placements.show(try await Placements.call(options, Coi_Placements_V1_Seekers.Method.answerApproval, .with {
                    $0.seekerID = id
                    $0.approve = true
                }), options)
            }
        }

        struct Decline: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Decline a seeker's placement as their named home manager, with a reason.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The seeker's id.") var id: String
            @Option(help: "Why (required).") var reason: String

            func run() async throws {
                Placements.show(try await Placements.call(options, Coi_Placements_V1_Seekers.Method.answerApproval, .with {
                    $0.seekerID = id
                    $0.approve = false
                    $0.reason = reason
                }), options)
            }
        }

        struct Choose: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Rank offers, best first (replaces your earlier list).",
                discussion: "Each choice is OFFER-ID or OFFER-ID=motivation.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The seeker's id.") var id: String
            @Argument(help: "Offers, best first.") var choices: [String] = []

            func run() async throws {
                let reply = try await Placements.call(options, Coi_Placements_V1_Seekers.Method.setChoices, .with {
                    $0.seekerID = id
                    $0.choices = choices.map { entry in
                        let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                        return .with {
                            $0.offerID = parts.first ?? ""
                            $0.motivation = parts.count > 1 ? parts[1] : ""
                        }
                    }
                })
                Placements.list(reply.choices, options, columns: ["rank", "offer_id", "motivation"])
            }
        }

        struct Choices: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a seeker's ranked offers.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The seeker's id.") var id: String

            func run() async throws {
                let reply = try await Placements.call(options, Coi_Placements_V1_Seekers.Method.getChoices, .with { $0.seekerID = id })
                Placements.list(reply.choices, options, columns: ["rank", "offer_id", "motivation"])
            }
        }
    }
}
