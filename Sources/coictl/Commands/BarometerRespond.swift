import ArgumentParser
import COIProto
import Foundation

extension Barometer {
    struct Respond: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer as a sampled workplace, with its invitation token (no account needed).",
            subcommands: [Open.self, Save.self, Refuse.self, Benchmark.self])

        struct Open: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show the questionnaire and the answers saved so far.")
            @OptionGroup var options: GlobalOptions
            @Option(help: "The invitation token.") var invitation: String

            func run() async throws {
                try await Session.with(options) { session in
                    Barometer.show(try await session.call(Coi_Barometer_V1_Respondents.Method.open, .with { $0.token = invitation }), options)
                }
            }
        }

        struct Save: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Save answers (a JSON object question id → answer; null clears); --complete completes and locks.")
            @OptionGroup var options: GlobalOptions
            @Option(help: "The invitation token.") var invitation: String
            @Option(help: "The answers as JSON, e.g. '{\"q1\":\"yes\",\"q3\":4}'.") var answers = "{}"
            @Flag(help: "Complete the response; it is then locked.") var complete = false

            func run() async throws {
                try await Session.with(options) { session in
                    Barometer.show(try await session.call(Coi_Barometer_V1_Respondents.Method.save, .with {
                        $0.token = invitation
                        $0.answers = answers
                        $0.complete = complete
                    }), options)
                }
            }
        }

        struct Refuse: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Decline to take part (final; saved answers are discarded).")
            @OptionGroup var options: GlobalOptions
            @Option(help: "The invitation token.") var invitation: String

            func run() async throws {
                try await Session.with(options) { session in
                    Barometer.show(try await session.call(Coi_Barometer_V1_Respondents.Method.refuse, .with { $0.token = invitation }), options)
                }
            }
        }

        struct Benchmark: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Your answers beside the estimate for your peer group (level × sector × size class, broader where too few).")
            @OptionGroup var options: GlobalOptions
            @Option(help: "The invitation token.") var invitation: String

            func run() async throws {
                try await Session.with(options) { session in
                    let reply = try await session.call(Coi_Barometer_V1_Respondents.Method.benchmark, .with { $0.token = invitation })
                    if options.json {
                        Output.json(reply.rows.map(Barometer.object))
                        return
                    }
                    Output.table(["QUESTION", "YOURS", "CATEGORY", "PEERS", "95% CI", "PEER GROUP"], reply.rows.map { row in
                        let numbers = row.estimate.hasNumbers ? row.estimate.numbers : nil
                        return [row.question, row.answer.isEmpty ? "-" : row.answer,
                                row.estimate.category.isEmpty ? row.estimate.statistic : row.estimate.category,
                                numbers.map { String(format: "%.3f", $0.estimate) } ?? "suppressed",
                                numbers.flatMap { $0.hasCi ? String(format: "%.3f–%.3f", $0.ci.low, $0.ci.high) : nil } ?? "-", row.peerGroup]
                    })
                }
            }
        }
    }

    struct Contacts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A contact person's personal data in the frames: export or erase by e-mail address.",
            subcommands: [ExportContact.self, EraseContact.self])

        struct ExportContact: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "export", abstract: "Every frame entry naming this contact.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The e-mail address.") var email: String

            func run() async throws {
                try await Session.with(options) { session in
                    let reply = try await session.call(Coi_Barometer_V1_Waves.Method.exportContact, .with { $0.email = email })
                    if options.json {
                        Output.jsonLines(reply.contacts.map(Barometer.object))
                        return
                    }
                    if reply.contacts.isEmpty {
                        Output.line("no frame names \(email) as a contact")
                        return
                    }
                    Output.table(["WAVE", "UNIT", "WORKPLACE", "CONTACT", "EMAIL"], reply.contacts.map {
                        [$0.waveID, $0.unitID, $0.workplace, $0.contactName, $0.contactEmail]
                    })
                }
            }
        }

        struct EraseContact: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "erase", abstract: "Blank the contact's name and address everywhere.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The e-mail address.") var email: String

            func run() async throws {
                try await Session.with(options) { session in
                    let reply = try await session.call(Coi_Barometer_V1_Waves.Method.eraseContact, .with { $0.email = email })
                    if options.json { Output.jsonLines(reply.contacts.map(Barometer.object)) } else {
                        print("erased the contact from \(reply.contacts.count) frame entr\(reply.contacts.count == 1 ? "y" : "ies")")
                    }
                }
            }
        }
    }
}
