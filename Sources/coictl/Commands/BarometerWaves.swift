import ArgumentParser
import COIProto
import Foundation

extension Barometer {
    struct Waves: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create, list and show survey waves.",
                                                        subcommands: [Create.self, List.self, Show.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a wave (prints it with its id).")
            @OptionGroup var options: GlobalOptions
            @Option(help: "The wave's name, e.g. \"Innovationsbarometeret 2026\".") var name: String
            @Option(help: "The reference period, e.g. 2025.") var referencePeriod = ""
            @Option(help: "Disclosure control: the fewest answerers a domain is shown with (default 5).") var minRespondents: Int32 = 0

            func run() async throws {
                try await Session.with(options) { session in
                    Barometer.show(try await session.call(Coi_Barometer_V1_Waves.Method.create, .with {
                        $0.name = name
                        $0.referencePeriod = referencePeriod
                        $0.minRespondents = minRespondents
                    }), options)
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the waves.")
            @OptionGroup var options: GlobalOptions

            func run() async throws {
                try await Session.with(options) { session in
                    let reply = try await session.call(Coi_Barometer_V1_Waves.Method.list, .init())
                    if options.json {
                        Output.json(reply.waves.map(Barometer.object))
                    } else {
                        Output.table(["ID", "NAME", "PERIOD", "FRAME", "SAMPLED", "COMPLETED", "REFUSED"], reply.waves.map {
                            [$0.id, $0.name, $0.referencePeriod.isEmpty ? "-" : $0.referencePeriod, "\($0.frameUnits)", "\($0.sampled)",
                             "\($0.completed)", "\($0.refused)"]
                        })
                    }
                }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show a wave: frame, design and response counts.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The wave's id.") var wave: String

            func run() async throws {
                try await Session.with(options) { session in
                    Barometer.show(try await session.call(Coi_Barometer_V1_Waves.Method.get, .with { $0.id = wave }), options)
                }
            }
        }
    }
}
