import ArgumentParser
import COIProto

extension Nominations {
    struct Storms: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Idea storms: open calls on a topic with proposals, comments, votes and published answers.",
            subcommands: [Create.self, List.self, Show.self, Propose.self, Proposals.self, Comment.self, Comments.self, Vote.self,
                          Assess.self, Withdraw.self])

        static let proposalColumns = ["id", "assessment", "votes", "comments", "withdrawn", "author_name", "title"]

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Open an idea storm; prints its id.")
            @OptionGroup var options: GlobalOptions
            @Option(help: "The topic.") var topic: String
            @Option(help: "What the call asks for.") var description = ""
            @Option(help: ArgumentHelp("When it opens (RFC 3339).", valueName: "time")) var opens: String
            @Option(help: ArgumentHelp("When it closes (RFC 3339).", valueName: "time")) var closes: String
            @Option(help: ArgumentHelp("Votes per person; 0 = the configured default.", valueName: "n")) var votes: Int32 = 0

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                let storm = try await session.call(Coi_Nominations_V1_IdeaStorms.Method.create, Coi_Nominations_V1_CreateStormRequest.with {
                    $0.topic = topic
                    $0.description_p = description
                    $0.opensAt = opens
                    $0.closesAt = closes
                    $0.votesPerPerson = votes
                })
                if options.json { Nominations.show(storm, options) } else { print(storm.id) }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List idea storms.")
            @OptionGroup var options: GlobalOptions
            @Flag(help: "Only those open now.") var open = false
            @Flag(help: "Fetch every page.") var all = false

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                var request = Coi_Nominations_V1_ListStormsRequest.with { $0.openOnly = open }
                let (storms, more) = try await session.pages(all: all) { token in
                    request.pageToken = token
                    let reply = try await session.call(Coi_Nominations_V1_IdeaStorms.Method.list, request)
                    return (reply.storms, reply.nextPageToken)
                }
                Nominations.list(storms, options, columns: ["id", "open", "opens_at", "closes_at", "topic"])
                if more { Output.error("more storms follow: use --all") }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show an idea storm.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The storm's id.") var id: String

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                Nominations.show(try await session.call(Coi_Nominations_V1_IdeaStorms.Method.get, Coi_Nominations_V1_GetStormRequest.with { $0.id = id }), options)
            }
        }

        struct Propose: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Make a proposal in an open storm; prints its id.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The storm's id.") var storm: String
            @Option(help: "Title.") var title: String
            @Option(help: "The proposal.") var body: String

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                let proposal = try await session.call(Coi_Nominations_V1_IdeaStorms.Method.propose, Coi_Nominations_V1_ProposeRequest.with {
                    $0.stormID = storm
                    $0.title = title
                    $0.body = body
                })
                if options.json { Nominations.show(proposal, options) } else { print(proposal.id) }
            }
        }

        struct Proposals: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List a storm's proposals.")
            enum AssessmentArgument: String, ExpressibleByArgument, CaseIterable { case notAnswered = "not-answered", evaluating, accepted, rejected }
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The storm's id.") var storm: String
            @Option(help: "Only this assessment.") var assessment: AssessmentArgument?
            @Flag(help: "Include withdrawn proposals.") var withdrawn = false
            @Flag(help: "Fetch every page.") var all = false

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                var request = Coi_Nominations_V1_ListProposalsRequest.with {
                    $0.stormID = storm
                    $0.includeWithdrawn = withdrawn
                    $0.assessment = switch assessment {
                    case .notAnswered: .notAnswered
                    case .evaluating: .evaluating
                    case .accepted: .accepted
                    case .rejected: .rejected
                    case nil: .unspecified
                    }
                }
                let (proposals, more) = try await session.pages(all: all) { token in
                    request.pageToken = token
                    let reply = try await session.call(Coi_Nominations_V1_IdeaStorms.Method.listProposals, request)
                    return (reply.proposals, reply.nextPageToken)
                }
                Nominations.list(proposals, options, columns: Storms.proposalColumns)
                if more { Output.error("more proposals follow: use --all") }
            }
        }

        struct Comment: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Comment on a proposal.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The proposal's id.") var proposal: String
            @Option(help: "The comment.") var body: String

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                Nominations.show(try await session.call(Coi_Nominations_V1_IdeaStorms.Method.addComment, Coi_Nominations_V1_CommentRequest.with {
                    $0.proposalID = proposal
                    $0.body = body
                }), options)
            }
        }

        struct Comments: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List a proposal's comments.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The proposal's id.") var proposal: String
            @Flag(help: "Fetch every page.") var all = false

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                var request = Coi_Nominations_V1_ListCommentsRequest.with { $0.proposalID = proposal }
                let (comments, more) = try await session.pages(all: all) { token in
                    request.pageToken = token
                    let reply = try await session.call(Coi_Nominations_V1_IdeaStorms.Method.listComments, request)
                    return (reply.comments, reply.nextPageToken)
                }
                Nominations.list(comments, options, columns: ["id", "created_at", "author_name", "body"])
                if more { Output.error("more comments follow: use --all") }
            }
        }

        struct Vote: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Vote for a proposal (votes per person are limited).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The proposal's id.") var proposal: String
            @Flag(help: "Take your vote back.") var undo = false

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                Nominations.show(try await session.call(Coi_Nominations_V1_IdeaStorms.Method.vote, Coi_Nominations_V1_VoteRequest.with {
                    $0.proposalID = proposal
                    $0.withdraw = undo
                }), options)
            }
        }

        struct Assess: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Assess a proposal and publish the answer.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The proposal's id.") var proposal: String
            @Argument(help: "not-answered, evaluating, accepted or rejected.") var assessment: Proposals.AssessmentArgument
            @Option(help: "The published answer (required for accepted and rejected).") var answer = ""

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                Nominations.show(try await session.call(Coi_Nominations_V1_IdeaStorms.Method.assess, Coi_Nominations_V1_AssessRequest.with {
                    $0.proposalID = proposal
                    $0.answer = answer
                    $0.assessment = switch assessment {
                    case .notAnswered: .notAnswered
                    case .evaluating: .evaluating
                    case .accepted: .accepted
                    case .rejected: .rejected
                    }
                }), options)
            }
        }

        struct Withdraw: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Withdraw your proposal.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The proposal's id.") var proposal: String

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                Nominations.show(try await session.call(Coi_Nominations_V1_IdeaStorms.Method.withdraw, Coi_Nominations_V1_WithdrawProposalRequest.with {
                    $0.proposalID = proposal
                }), options)
            }
        }
    }
}
