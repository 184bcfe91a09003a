import ArgumentParser
import COIProto
import COIWire
import Foundation

extension Network {
    struct Tasks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Essential tasks: draft, revise, open, endorse, comment, withdraw.",
            subcommands: [Draft.self, Revise.self, List.self, Show.self, Revisions.self, Open.self, Endorse.self, Unendorse.self,
                          Withdraw.self, Comment.self, Comments.self])

        static let columns = ["id", "state", "title", "author_name", "revision", "endorsements", "parties"]

        /// A text option that may name a file with @FILE.
        static func text(_ value: String) throws -> String {
            value.hasPrefix("@") ? String(decoding: try Network.readFile(String(value.dropFirst())), as: UTF8.self) : value
        }

        struct Draft: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Draft an essential task (as an active member).")
            @OptionGroup var options: GlobalOptions
            @Option(help: "Title.") var title: String
            @Option(help: "The statement (or @FILE).") var statement: String

            func run() async throws {
                let text = try Tasks.text(statement)
                try await Network.run(options, Coi_Network_V1_Tasks.Method.draft, .with {
                    $0.title = title
                    $0.statement = text
                }) { task in
                    if options.json { Network.show(task, options) } else { print(task.id) }
                }
            }
        }

        struct Revise: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revise a task's text (a draft, or open without endorsements).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The task's id.") var id: String
            @Option(help: "The version you read.") var version: Int64
            @Option(help: "Title.") var title: String
            @Option(help: "The statement (or @FILE).") var statement: String
            @Option(help: "What changed.") var summary = ""

            func run() async throws {
                let text = try Tasks.text(statement)
                try await Network.run(options, Coi_Network_V1_Tasks.Method.revise, .with {
                    $0.id = id
                    $0.version = version
                    $0.title = title
                    $0.statement = text
                    $0.summary = summary
                }) { Network.show($0, options) }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "ls", abstract: "List essential tasks.", aliases: ["list"])
            enum State: String, ExpressibleByArgument, CaseIterable { case draft, open, published, withdrawn }
            @OptionGroup var options: GlobalOptions
            @Option(help: "draft, open, published or withdrawn.") var state: State?
            @Flag(help: "Fetch every page.") var all = false

            func run() async throws {
                try await Session.with(options) { session in
                    let result = try await session.pages(all: all) { token in
                        let reply = try await session.call(Coi_Network_V1_Tasks.Method.list, .with {
                            $0.state = switch state {
                            case .draft: .draft
                            case .open: .open
                            case .published: .published
                            case .withdrawn: .withdrawn
                            case nil: .unspecified
                            }
                            $0.pageToken = token
                            $0.pageSize = 500
                        })
                        return (reply.tasks, reply.nextPageToken)
                    }
                    Network.list(result.items, options, columns: Tasks.columns)
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a task.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The task's id.") var id: String
            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Tasks.Method.get, .with { $0.id = id }) { Network.show($0, options) }
            }
        }

        struct Revisions: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "A task's revisions.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The task's id.") var id: String
            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Tasks.Method.listRevisions, .with { $0.id = id }) { reply in
                    Network.list(reply.revisions, options, columns: ["revision", "author_name", "created_at", "summary", "title"])
                }
            }
        }

        struct Open: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Open a draft for endorsement.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The task's id.") var id: String
            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Tasks.Method.open, .with { $0.id = id }) { Network.show($0, options) }
            }
        }

        struct Endorse: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Endorse a task (once per member); published at enough parties.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The task's id.") var id: String
            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Tasks.Method.endorse, .with { $0.id = id }) { Network.show($0, options) }
            }
        }

        struct Unendorse: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Take back your endorsement of an open task.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The task's id.") var id: String
            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Tasks.Method.unendorse, .with { $0.id = id }) { Network.show($0, options) }
            }
        }

        struct Withdraw: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Withdraw a task (its author or a manager).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The task's id.") var id: String
            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Tasks.Method.withdraw, .with { $0.id = id }) { Network.show($0, options) }
            }
        }

        struct Comment: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Comment on a task.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The task's id.") var id: String
            @Argument(help: "The comment (or @FILE).") var body: String
            func run() async throws {
                let text = try Tasks.text(body)
                try await Network.run(options, Coi_Network_V1_Tasks.Method.comment, .with {
                    $0.taskID = id
                    $0.body = text
                }) { Network.show($0, options) }
            }
        }

        struct Comments: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "A task's comments.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The task's id.") var id: String
            func run() async throws {
                try await Network.run(options, Coi_Network_V1_Tasks.Method.listComments, .with { $0.id = id }) { reply in
                    Network.list(reply.comments, options, columns: ["created_at", "author_name", "party", "body"])
                }
            }
        }
    }
}
