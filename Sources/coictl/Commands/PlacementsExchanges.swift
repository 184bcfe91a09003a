import ArgumentParser
import COIProto

extension Placements {
    struct Exchanges: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Exchanges: two seekers host each other, booked as a pair outside the matching.",
            discussion: """
                Both register as seekers and need their own home manager's approval. One proposes, the other \
                accepts (or declines with a reason); accepting places both.
                """,
            subcommands: [Propose.self, Accept.self, Decline.self, Cancel.self, Show.self, List.self])

        struct Propose: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Propose an exchange to another seeker of the same season.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "Your seeker id.") var seeker: String
            @Argument(help: "The other person's seeker id.") var partner: String
            @Option(help: "Days each way, 1–5.") var days: Int32
            @Option(help: "A note for the other person.") var note = ""

            func run() async throws {
                let exchange = try await Placements.call(options, Coi_Placements_V1_Exchanges.Method.propose, .with {
                    $0.seekerID = seeker
                    $0.partnerSeekerID = partner
                    $0.days = days
                    $0.note = note
                })
                if options.json { Placements.show(exchange, options) } else { print(exchange.id) }
            }
        }

        struct Accept: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Accept an exchange you were asked for: both of you are placed.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The exchange's id.") var id: String

            func run() async throws {
                Placements.show(try await Placements.call(options, Coi_Placements_V1_Exchanges.Method.answer, .with {
                    $0.id = id
                    $0.accept = true
                }), options)
            }
        }

        struct Decline: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Decline an exchange you were asked for, with a reason.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The exchange's id.") var id: String
            @Option(help: "Why (required).") var reason: String

            func run() async throws {
                Placements.show(try await Placements.call(options, Coi_Placements_V1_Exchanges.Method.answer, .with {
                    $0.id = id
                    $0.accept = false
                    $0.reason = reason
                }), options)
            }
        }

        struct Cancel: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Cancel an exchange (a party or a coordinator); placements are removed.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The exchange's id.") var id: String
            @Option(help: "Why (required).") var reason: String

            func run() async throws {
                Placements.show(try await Placements.call(options, Coi_Placements_V1_Exchanges.Method.cancel, .with {
                    $0.id = id
                    $0.reason = reason
                }), options)
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show an exchange (its two people and coordinators).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The exchange's id.") var id: String

            func run() async throws {
                Placements.show(try await Placements.call(options, Coi_Placements_V1_Exchanges.Method.get, .with { $0.id = id }), options)
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a season's exchanges (coordinators: all; others: their own).", aliases: ["list"])
            enum Status: String, ExpressibleByArgument, CaseIterable {
                case proposed, placed, declined, cancelled
                var proto: Coi_Placements_V1_ExchangeStatus {
                    switch self {
                    case .proposed: .proposed
                    case .placed: .placed
                    case .declined: .declined
                    case .cancelled: .cancelled
                    }
                }
            }
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The season's id.") var season: String
            @Option(help: "proposed, placed, declined or cancelled.") var status: Status?
            @Flag(help: "Fetch every page.") var all = false

            func run() async throws {
                try await Session.with(options) { session in
                    var request = Coi_Placements_V1_ListExchangesRequest.with {
                        $0.seasonID = season
                        $0.status = status?.proto ?? .unspecified
                    }
                    let (exchanges, more) = try await session.pages(all: all) { token in
                        request.pageToken = token
                        let reply = try await session.call(Coi_Placements_V1_Exchanges.Method.list, request)
                        return (reply.exchanges, reply.nextPageToken)
                    }
                    Placements.list(exchanges, options, columns: ["id", "status", "seeker_name", "seeker_workplace", "partner_name",
                                                                  "partner_workplace", "days"])
                    if more { Output.error("more exchanges follow: use --all") }
                }
            }
        }
    }
}
