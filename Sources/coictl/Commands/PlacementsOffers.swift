import ArgumentParser
import COIProto

extension Placements {
    struct Offers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Offer placements, search them, review them, and rank applicants.",
            subcommands: [Create.self, Show.self, Search.self, Review.self, Applicants.self, Rank.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Offer a placement as a host contact (published after review).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The season's id.") var season: String
            @Option(help: "Title.") var title: String
            @Option(help: "The host workplace.") var workplace: String
            @Option(help: "municipal, regional or state.") var level: LevelArgument
            @Option(help: "The municipality: a code (101, 751) or a name in any spelling (København, aarhus).") var municipality: String
            @Option(help: "How many seekers, 1–3.") var capacity: Int32 = 1
            @Option(help: "How many days, 1–5.") var days: Int32 = 1
            @Option(help: ArgumentHelp("A day of the week (repeatable); none = during the week.", valueName: "yyyy-mm-dd")) var date: [String] = []
            @Option(help: "Sector, e.g. health.") var sector = ""
            @Option(help: "What one will see and learn.") var description = ""
            @Option(help: "Conditions, e.g. confidentiality.") var conditions = ""
            @Option(help: "Your reference.") var ref = ""
            @Option(help: ArgumentHelp("The contact's account (coordinators only; default you).", valueName: "account-id")) var contact = ""

            func run() async throws {
                let offer = try await Placements.call(options, Coi_Placements_V1_Offers.Method.create, .with {
                    $0.seasonID = season
                    $0.title = title
                    $0.hostWorkplace = workplace
                    $0.level = level.proto
                    $0.capacity = capacity
                    $0.days = days
                    $0.dates = date
                    $0.sector = sector
                    $0.description_p = description
                    $0.conditions = conditions
                    $0.ref = ref
                    $0.contactID = contact
                }) { request, session in request.municipalityCode = try await Places.municipalityCode(municipality, session) }
                if options.json { Placements.show(offer, options) } else { print(offer.id) }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show an offer.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The offer's id.") var id: String

            func run() async throws {
                Placements.show(try await Placements.call(options, Coi_Placements_V1_Offers.Method.get, .with { $0.id = id }), options)
            }
        }

        struct Search: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Search a season's published offers.",
                discussion: "Words match Danish-folded: \"sundhedsomraadet\" finds \"Sundhedsområdet\".")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The season's id.") var season: String
            @Argument(help: "Words that must all occur (title, workplace, sector, description, municipality).") var words: [String] = []
            @Option(help: "Only this region: a code (1084), a slug or a name (\"Region Hovedstaden\", sjælland).") var region = ""
            @Option(help: "municipal, regional or state.") var level: LevelArgument?
            @Option(help: "Sector.") var sector = ""
            @Flag(help: "Only offers with free places.") var free = false
            @Flag(help: "Include offers under review (coordinators).") var unpublished = false
            @Flag(help: "Fetch every page.") var all = false

            func run() async throws {
                try await Session.with(options) { session in
                    var request = Coi_Placements_V1_SearchOffersRequest.with {
                        $0.seasonID = season
                        $0.query = words.joined(separator: " ")
                        $0.region = region
                        $0.level = level?.proto ?? .unspecified
                        $0.sector = sector
                        $0.freeOnly = free
                        $0.includeUnpublished = unpublished
                    }
                    let (offers, more) = try await session.pages(all: all) { token in
                        request.pageToken = token
                        let reply = try await session.call(Coi_Placements_V1_Offers.Method.search, request)
                        return (reply.offers, reply.nextPageToken)
                    }
                    Placements.list(offers, options, columns: ["id", "ref", "region_name:region", "level", "capacity", "placed", "title", "host_workplace"])
                    if more { Output.error("more offers follow: use --all") }
                }
            }
        }

        struct Review: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Publish an offer after review, or withdraw it (coordinators).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The offer's id.") var id: String
            @Flag(help: "Withdraw instead of publishing.") var withdraw = false
            @Option(help: "Why, for the audit log.") var reason = ""

            func run() async throws {
                Placements.show(try await Placements.call(options, Coi_Placements_V1_Offers.Method.review, .with {
                    $0.id = id
                    $0.publish = !withdraw
                    $0.reason = reason
                }), options)
            }
        }

        struct Applicants: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List an offer's applicants (its contact, coordinators).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The offer's id.") var id: String

            func run() async throws {
                let reply = try await Placements.call(options, Coi_Placements_V1_Offers.Method.listApplicants, .with { $0.offerID = id })
                Placements.list(reply.applicants, options, columns: ["seeker_id", "name", "choice", "host_rank", "approval", "home_workplace"])
            }
        }

        struct Rank: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Rank an offer's applicants, best first; those left out are unacceptable to the host.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The offer's id.") var id: String
            @Argument(help: "Seeker ids, best first.") var seekers: [String] = []

            func run() async throws {
                let reply = try await Placements.call(options, Coi_Placements_V1_Offers.Method.rankApplicants, .with {
                    $0.offerID = id
                    $0.seekerIds = seekers
                })
                Placements.list(reply.applicants, options, columns: ["seeker_id", "name", "choice", "host_rank", "approval"])
            }
        }
    }
}
