import ArgumentParser
import COIProto

extension Placements {
    struct Seasons: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, list and show seasons and set their phase.",
            subcommands: [Create.self, List.self, Show.self, Phase.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create a season around a placement week (in phase draft) and print its id.",
                discussion: "Dates left out default to 8, 6, 3 and 1 weeks before the week's Monday.")
            @OptionGroup var options: GlobalOptions
            @Option(help: "The ISO week-numbering year of the placement week.") var year: Int32
            @Option(help: "The placement week (ISO 8601 week number, e.g. 37).") var week: Int32
            @Option(help: "Title (default \"Innovationspraktik YEAR, uge WEEK\").") var title = ""
            @Option(help: ArgumentHelp("When hosts may publish offers.", valueName: "yyyy-mm-dd")) var offersOpen = ""
            @Option(help: ArgumentHelp("When seekers may rank offers.", valueName: "yyyy-mm-dd")) var applicationsOpen = ""
            @Option(help: ArgumentHelp("When applications and rankings close for the matching.", valueName: "yyyy-mm-dd")) var matching = ""
            @Option(help: ArgumentHelp("When agreements must be confirmed.", valueName: "yyyy-mm-dd")) var confirmationDeadline = ""
            @Option(help: ArgumentHelp("Offers a seeker may rank (default 10).", valueName: "n")) var maxChoices: Int32 = 0

            func run() async throws {
                let season = try await Placements.call(options, Coi_Placements_V1_Seasons.Method.create, .with {
                    $0.year = year
                    $0.week = week
                    $0.title = title
                    $0.offersOpenOn = offersOpen
                    $0.applicationsOpenOn = applicationsOpen
                    $0.matchingOn = matching
                    $0.confirmationDeadline = confirmationDeadline
                    $0.maxChoices = maxChoices
                })
                if options.json { Placements.show(season, options) } else { print(season.id) }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List seasons.", aliases: ["list"])
            @OptionGroup var options: GlobalOptions
            @Option(help: "Only this year.") var year: Int32 = 0
            @Flag(help: "Fetch every page.") var all = false

            func run() async throws {
                try await Session.with(options) { session in
                    var request = Coi_Placements_V1_ListSeasonsRequest.with { $0.year = year }
                    let (seasons, more) = try await session.pages(all: all) { token in
                        request.pageToken = token
                        let reply = try await session.call(Coi_Placements_V1_Seasons.Method.list, request)
                        return (reply.seasons, reply.nextPageToken)
                    }
                    Placements.list(seasons, options, columns: ["id", "year", "week", "week_starts", "phase", "title"])
                    if more { Output.error("more seasons follow: use --all") }
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a season with its dates and phase.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The season's id.") var id: String

            func run() async throws {
                Placements.show(try await Placements.call(options, Coi_Placements_V1_Seasons.Method.get, .with { $0.id = id }), options)
            }
        }

        struct Phase: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Set a season's phase now (dates move it on from there).",
                discussion: "MATCHED is set by `coictl placements match`.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The season's id.") var id: String
            @Argument(help: "draft, offers, applications, matching, confirmed, completed or archived.") var phase: PhaseArgument
            @Option(help: "Why, for the audit log.") var reason = ""

            func run() async throws {
                Placements.show(try await Placements.call(options, Coi_Placements_V1_Seasons.Method.setPhase, .with {
                    $0.id = id
                    $0.phase = phase.proto
                    $0.reason = reason
                }), options)
            }
        }
    }
}
