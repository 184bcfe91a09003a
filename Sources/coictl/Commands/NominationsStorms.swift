import ArgumentParser
import COIProto
import COIRPC

extension Nominations {
    struct Storms: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Idea storms: open calls on a topic with proposals, comments, votes and published answers.",
            subcommands: [Create.self, List.self, Show.self, Propose.self, Proposals.self, Comment.self, Comments.self, Vote.self,
                          Assess.self, Withdraw.self])

        static let proposalColumns = ["id", "assessment", "votes", "comments", "withdrawn", "author_name", "title"]

        struct Create: UnaryCommand {
            static let configuration = CommandConfiguration(abstract: "Open an idea storm; prints its id.")
            static let rpc = Coi_Nominations_V1_IdeaStorms.Method.create
            @OptionGroup var options: GlobalOptions
            @Option(help: "The topic.") var topic: String
            @Option(help: "What the call asks for.") var description = ""
            @Option(help: ArgumentHelp("When it opens (RFC 3339).", valueName: "time")) var opens: String
            @Option(help: ArgumentHelp("When it closes (RFC 3339).", valueName: "time")) var closes: String
            @Option(help: ArgumentHelp("Votes per person (default: the configured number).", valueName: "n")) var votes: Int32?

            func request() -> Coi_Nominations_V1_CreateStormRequest {
                .with {
                    $0.topic = topic
                    $0.description_p = description
                    $0.opensAt = opens
                    $0.closesAt = closes
                    $0.votesPerPerson = votes ?? 0
                }
            }

            func render(_ storm: Coi_Nominations_V1_Storm) { render(storm, text: storm.id) }
        }

        struct List: ListCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List idea storms.", aliases: ["list"])
            static let rpc = Coi_Nominations_V1_IdeaStorms.Method.list
            @OptionGroup var options: GlobalOptions
            @OptionGroup var paging: PageOptions
            @Flag(help: "Only those open now.") var open = false

            func request() -> Coi_Nominations_V1_ListStormsRequest { .with { $0.openOnly = open } }
            func render(_ storms: [Coi_Nominations_V1_Storm]) { Output.list(storms, options, columns: ["id", "open", "opens_at", "closes_at", "topic"]) }
        }

        struct Show: UnaryCommand {
            static let configuration = CommandConfiguration(abstract: "Show an idea storm.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The storm's id.") var id: String

            static let rpc = Coi_Nominations_V1_IdeaStorms.Method.get

            func request() -> Coi_Nominations_V1_GetStormRequest { .with { $0.id = id } }
        }

        struct Propose: UnaryCommand {
            static let configuration = CommandConfiguration(abstract: "Make a proposal in an open storm; prints its id.")
            static let rpc = Coi_Nominations_V1_IdeaStorms.Method.propose
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The storm's id.") var storm: String
            @Option(help: "Title.") var title: String
            @Option(help: "The proposal.") var body: String

            func request() -> Coi_Nominations_V1_ProposeRequest {
                .with {
                    $0.stormID = storm
                    $0.title = title
                    $0.body = body
                }
            }

            func render(_ proposal: Coi_Nominations_V1_Proposal) { render(proposal, text: proposal.id) }
        }

        struct Proposals: ListCommand {
            static let configuration = CommandConfiguration(abstract: "List a storm's proposals.")
            enum AssessmentArgument: String, ExpressibleByArgument, CaseIterable { case notAnswered = "not-answered", evaluating, accepted, rejected }
            static let rpc = Coi_Nominations_V1_IdeaStorms.Method.listProposals
            @OptionGroup var options: GlobalOptions
            @OptionGroup var paging: PageOptions
            @Argument(help: "The storm's id.") var storm: String
            @Option(help: "Only this assessment.") var assessment: AssessmentArgument?
            @Flag(help: "Include withdrawn proposals.") var withdrawn = false

            func request() -> Coi_Nominations_V1_ListProposalsRequest {
                .with {
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
            }

            func render(_ proposals: [Coi_Nominations_V1_Proposal]) { Output.list(proposals, options, columns: Storms.proposalColumns) }
        }

        struct Comment: UnaryCommand {
            static let configuration = CommandConfiguration(abstract: "Comment on a proposal.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The proposal's id.") var proposal: String
            @Option(help: "The comment.") var body: String

            static let rpc = Coi_Nominations_V1_IdeaStorms.Method.addComment

            func request() -> Coi_Nominations_V1_CommentRequest {
                .with {
                        $0.proposalID = proposal
                        $0.body = body
                
                }
            }
        }

        struct Comments: ListCommand {
            static let configuration = CommandConfiguration(abstract: "List a proposal's comments.")
            static let rpc = Coi_Nominations_V1_IdeaStorms.Method.listComments
            @OptionGroup var options: GlobalOptions
            @OptionGroup var paging: PageOptions
            @Argument(help: "The proposal's id.") var proposal: String

            func request() -> Coi_Nominations_V1_ListCommentsRequest { .with { $0.proposalID = proposal } }
            func render(_ comments: [Coi_Nominations_V1_Comment]) { Output.list(comments, options, columns: ["id", "created_at", "author_name", "body"]) }
        }

        struct Vote: UnaryCommand {
            static let configuration = CommandConfiguration(abstract: "Vote for a proposal (votes per person are limited).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The proposal's id.") var proposal: String
            @Flag(help: "Take your vote back.") var undo = false

            static let rpc = Coi_Nominations_V1_IdeaStorms.Method.vote

            func request() -> Coi_Nominations_V1_VoteRequest {
                .with {
                        $0.proposalID = proposal
                        $0.withdraw = undo
                
                }
            }
        }

        struct Assess: UnaryCommand {
            static let configuration = CommandConfiguration(abstract: "Assess a proposal and publish the answer.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The proposal's id.") var proposal: String
            @Argument(help: "not-answered, evaluating, accepted or rejected.") var assessment: Proposals.AssessmentArgument
            @Option(help: "The published answer (required for accepted and rejected).") var answer = ""

            static let rpc = Coi_Nominations_V1_IdeaStorms.Method.assess

            func request() -> Coi_Nominations_V1_AssessRequest {
                .with {
                        $0.proposalID = proposal
                        $0.answer = answer
                        $0.assessment = switch assessment {
                        case .notAnswered: .notAnswered
                        case .evaluating: .evaluating
                        case .accepted: .accepted
                        case .rejected: .rejected
                        }
                
                }
            }
        }

        struct Withdraw: UnaryCommand {
            static let configuration = CommandConfiguration(abstract: "Withdraw your proposal.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The proposal's id.") var proposal: String

            static let rpc = Coi_Nominations_V1_IdeaStorms.Method.withdraw

            func request() -> Coi_Nominations_V1_WithdrawProposalRequest {
                .with {
                        $0.proposalID = proposal
                
                }
            }
        }
    }
}
