import ArgumentParser
import COIProto
import Foundation

extension Barometer {
    struct Frame: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a wave's frame: the register of workplaces.",
                                                        subcommands: [Import.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import the frame from CSV (all or nothing; replaces an earlier frame until the sample is drawn).",
                discussion: """
                    Header: unit_id,name,level,sector,size_class,municipality_code in any order; further columns are kept as \
                    auxiliary variables, except contact_name and contact_email (the contact person). region is derived from \
                    the municipality (its code, e.g. 1084).
                    """)
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The wave's id.") var wave: String
            @Argument(help: "The CSV file.") var file: String

            func run() async throws {
                let data = try Barometer.read(file)
                try await Session.with(options) { session in
                    let reply = try await session.call(Coi_Barometer_V1_Waves.Method.importFrame, .with {
                        $0.waveID = wave
                        $0.data = data
                    })
                    if options.json { Output.json(Barometer.object(reply)) } else {
                        print("imported \(reply.rows) workplaces into wave \(wave); variables: \(reply.wave.frameVariables.joined(separator: ", "))")
                    }
                }
            }
        }
    }

    struct Questionnaire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a wave's questionnaire.", subcommands: [Import.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import the questionnaire JSON (a new version each time, until the sample is drawn).",
                discussion: "Format: {\"questions\":[{\"id\",\"type\",\"text\",…}],\"routing\":[…]} (docs/barometer.md).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The wave's id.") var wave: String
            @Argument(help: "The JSON file.") var file: String

            func run() async throws {
                let data = try Barometer.read(file)
                guard let document = String(data: data, encoding: .utf8) else {
                    Output.error("\(file) is not UTF-8 text")
                    throw ExitCode(65)
                }
                try await Session.with(options) { session in
                    let reply = try await session.call(Coi_Barometer_V1_Waves.Method.importQuestionnaire, .with {
                        $0.waveID = wave
                        $0.document = document
                    })
                    if options.json { Output.json(Barometer.object(reply)) } else {
                        print("wave \(wave) now uses questionnaire version \(reply.questionnaireVersion)")
                    }
                }
            }
        }
    }

    struct Design: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a wave's sample design.", subcommands: [Set.self])

        enum AllocationArgument: String, ExpressibleByArgument, CaseIterable { case proportional, equal, fixed }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Set strata, allocation, size, minimum per stratum, take-all strata and seed.",
                discussion: """
                    A stratum is written as its values joined by "/", in the order of --strata, e.g. --take-all region/500+. \
                    The draw is reproducible: the same frame, design and seed give the same units anywhere.
                    """)
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The wave's id.") var wave: String
            @Option(help: "Frame variables whose combinations are the strata, comma-separated.") var strata = ""
            @Option(help: "proportional, equal or fixed.") var allocation: AllocationArgument = .proportional
            @Option(help: "The total sample size n (proportional, equal).") var sampleSize: Int32 = 0
            @Option(help: "Every stratum gets at least min(K, N_h).") var minPerStratum: Int32 = 0
            @Option(help: "The seed of the draw (0…2^64−1).") var seed: String
            @Option(help: ArgumentHelp("A stratum sampled completely (repeatable).", valueName: "values")) var takeAll: [String] = []
            @Option(help: ArgumentHelp("Fixed allocation: a stratum's size (repeatable).", valueName: "values=n")) var fixed: [String] = []

            func run() async throws {
                let variables = strata.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                let fixedSizes = try fixed.map { entry -> Coi_Barometer_V1_StratumSize in
                    let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2, let size = Int32(parts[1]) else {
                        throw ValidationError("--fixed \(entry): write VALUES=N, e.g. kommune/social/50+=40")
                    }
                    return .with {
                        $0.key = parts[0].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                        $0.size = size
                    }
                }
                try await Session.with(options) { session in
                    let reply = try await session.call(Coi_Barometer_V1_Waves.Method.setDesign, .with {
                        $0.waveID = wave
                        $0.design = .with {
                            $0.strata = variables
                            $0.allocation = switch allocation {
                            case .proportional: .proportional
                            case .equal: .equal
                            case .fixed: .fixed
                            }
                            $0.sampleSize = sampleSize
                            $0.minPerStratum = minPerStratum
                            $0.seed = seed
                            $0.takeAll = takeAll.map { entry in .with { $0.key = entry.split(separator: "/", omittingEmptySubsequences: false).map(String.init) } }
                            $0.fixedSizes = fixedSizes
                        }
                    })
                    if options.json { Output.json(Barometer.object(reply)) } else {
                        print("design of wave \(wave) set: strata \(variables.isEmpty ? "(none)" : variables.joined(separator: " × ")), "
                              + "\(allocation.rawValue) allocation, seed \(seed)")
                    }
                }
            }
        }
    }

    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draw the sample; export it or the reminder list.",
                                                        subcommands: [Draw.self, Export.self, Reminders.self])

        struct Draw: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Draw the sample and issue an invitation token per unit (once).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The wave's id.") var wave: String

            func run() async throws {
                try await Session.with(options) { session in
                    let reply = try await session.call(Coi_Barometer_V1_Waves.Method.drawSample, .with { $0.waveID = wave })
                    if options.json { Output.json(Barometer.object(reply)) } else {
                        Output.table(["STRATUM", "N_H", "N_SAMPLE", "TAKE_ALL"], reply.strata.map {
                            [$0.key.joined(separator: "/"), "\($0.population)", "\($0.sampleSize)", $0.takeAll ? "yes" : "-"]
                        })
                        print("drew \(reply.wave.sampled) of \(reply.wave.frameUnits) workplaces")
                    }
                }
            }
        }

        struct Export: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Export the sample as CSV for a mail merge: unit_id, name, contact, token, status and frame variables.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The wave's id.") var wave: String
            @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "path")) var output: String?

            func run() async throws {
                try await Session.with(options) { session in
                    try await Barometer.export(session, .with {
                        $0.waveID = wave
                        $0.table = .sample
                    }, to: output)
                }
            }
        }

        struct Reminders: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Export the non-responders (invited or started) as CSV.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The wave's id.") var wave: String
            @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "path")) var output: String?

            func run() async throws {
                try await Session.with(options) { session in
                    try await Barometer.export(session, .with {
                        $0.waveID = wave
                        $0.table = .reminders
                    }, to: output)
                }
            }
        }
    }

    struct Responses: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import paper and phone responses.", subcommands: [Import.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import completed responses from wide CSV (all or nothing).",
                discussion: """
                    Header: unit_id, then question ids (a matrix row as q7.r1). Cells hold option codes (yes/no, the code of \
                    an option, 1…scale for Likert), numbers, or text; multiple choice as codes joined by ";"; empty = not answered.
                    """)
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The wave's id.") var wave: String
            @Argument(help: "The CSV file.") var file: String

            func run() async throws {
                let data = try Barometer.read(file)
                try await Session.with(options) { session in
                    let reply = try await session.call(Coi_Barometer_V1_Waves.Method.importResponses, .with {
                        $0.waveID = wave
                        $0.data = data
                    })
                    if options.json { Output.json(Barometer.object(reply)) } else {
                        print("imported \(reply.rows) responses; wave \(wave) has \(reply.wave.completed) completed of \(reply.wave.sampled) sampled")
                    }
                }
            }
        }
    }
}
