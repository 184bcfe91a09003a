import ArgumentParser
import COIProto
import COIWire
import Foundation

extension Placements {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import offers, seekers, preferences and host rankings from CSV files (coordinators; all or nothing).",
            discussion: """
                DIR holds offers.csv, seekers.csv, preferences.csv and host_rankings.csv (UTF-8, header rows; \
                see docs/placements.md). People are linked to accounts by e-mail; missing person accounts are \
                created. Errors name the file, line and column, and nothing is stored.
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The season's id.") var season: String
        @Argument(help: "The directory with the four CSV files.") var directory: String

        func run() async throws {
            let names = ["offers.csv", "seekers.csv", "preferences.csv", "host_rankings.csv"]
            var chunks: [Coi_Placements_V1_ImportChunk] = []
            for name in names {
                let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
                guard let data = FileManager.default.contents(atPath: path) else {
                    Output.error("cannot read \(path): an import needs \(names.joined(separator: ", ")) in \(directory)")
                    throw ExitCode(66)
                }
                // Pieces of 1 MiB stay well under the 4 MiB frame limit.
                var offset = 0
                repeat {
                    let end = min(offset + (1 << 20), data.count)
                    chunks.append(.with {
                        $0.seasonID = season
                        $0.file = name
                        $0.data = data.subdata(in: offset..<end)
                    })
                    offset = end
                } while offset < data.count
            }
            try await Session.with(options) { session in
                var reply = Coi_Placements_V1_ImportReply()
                do {
                    let stream = try session.connection.stream(Coi_Placements_V1_Seasons.Method.import, metadata: options.metadata,
                                                               timeout: options.deadline)
                    for (index, chunk) in chunks.enumerated() { try await stream.send(chunk, end: index == chunks.count - 1) }
                    for try await message in stream.replies { reply = message }
                } catch let error as RPCError {
                    throw Session.fail(error)
                }
                if options.json {
                    Placements.show(reply, options)
                } else {
                    print("imported \(reply.offers) offers, \(reply.seekers) seekers, \(reply.preferences) preferences, "
                          + "\(reply.hostRankings) host rankings into \(reply.seasonID) (\(reply.accountsCreated) accounts created)")
                }
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a season as CSV (RFC 4180, UTF-8, header row).",
            discussion: """
                matches: one row per seeker with seeker_ref and offer_ref (empty when unmatched) and the reason; \
                offers, seekers; flows: placements from home level and region to host level and region.
                """)
        enum Table: String, ExpressibleByArgument, CaseIterable { case matches, offers, seekers, flows }
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The season's id.") var season: String
        @Argument(help: "matches, offers, seekers or flows.") var table: Table
        @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "path")) var output: String?

        func run() async throws {
            try await Session.with(options) { session in
                let request = Coi_Placements_V1_ExportRequest.with {
                    $0.seasonID = season
                    $0.table = switch table {
                    case .matches: .matches
                    case .offers: .offers
                    case .seekers: .seekers
                    case .flows: .flows
                    }
                }
                try await Placements.writeCSV(session, options, request, output: output)
            }
        }
    }

    /// How a report is printed.
    enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    /// Streams a CSV export to stdout or a file; the file is written only once complete, so a failed
    /// export leaves no half file.
    static func writeCSV(_ session: Session, _ options: GlobalOptions, _ request: Coi_Placements_V1_ExportRequest, output: String?) async throws {
        var data = Data()
        do {
            let stream = try session.connection.stream(Coi_Placements_V1_Seasons.Method.export, request, metadata: options.metadata,
                                                       timeout: options.deadline)
            for try await chunk in stream.replies { data.append(chunk.data) }
        } catch let error as RPCError {
            throw Session.fail(error)
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: data) else {
                Output.error("cannot write \(output)")
                throw ExitCode(73)
            }
        } else {
            Output.out(data)
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Matched and unmatched, fill rate by region and level, and flows between them.",
            discussion: "--format csv writes the fill rates (total, by region, by level) as CSV; the flows are `export SEASON flows`.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The season's id.") var season: String
        @Option(help: "table, json or csv.") var format: ReportFormat = .table
        @Option(help: ArgumentHelp("With --format csv: write to this file instead of stdout.", valueName: "path")) var output: String?

        func run() async throws {
            if format == .csv {
                try await Session.with(options) { session in
                    try await Placements.writeCSV(session, options, .with {
                        $0.seasonID = season
                        $0.table = .fillRates
                    }, output: output)
                }
                return
            }
            var shown = options
            if format == .json { shown.jsonFlag = true }
            let report = try await Placements.call(shown, Coi_Placements_V1_Seasons.Method.report, .with { $0.seasonID = season })
            if shown.json {
                Placements.show(report, shown)
                return
            }
            print("season \(report.seasonID) (\(report.year)): \(report.placed) of \(report.seekers) seekers placed "
                  + "(\(report.approved) approved), \(report.offers) offers with \(report.places) places")
            Placements.list(report.byRegion, options, columns: ["key", "offers", "places", "placed"])
            Placements.list(report.byLevel, options, columns: ["key", "offers", "places", "placed"])
            Placements.list(report.levelFlows, options, columns: ["from", "to", "placements"])
            Placements.list(report.regionFlows, options, columns: ["from", "to", "placements"])
        }
    }

    struct Years: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare seasons year over year: offers, seekers, placed, fill rate, and the change from the season before.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "From this year (default: the first).") var from: Int32 = 0
        @Option(help: "To this year (default: the last).") var to: Int32 = 0
        @Option(help: "table, json (one line per season) or csv.") var format: ReportFormat = .table
        @Option(help: ArgumentHelp("With --format csv: write to this file instead of stdout.", valueName: "path")) var output: String?

        func run() async throws {
            if format == .csv {
                try await Session.with(options) { session in
                    try await Placements.writeCSV(session, options, .with {
                        $0.table = .years
                        $0.fromYear = from
                        $0.toYear = to
                    }, output: output)
                }
                return
            }
            var shown = options
            if format == .json { shown.jsonFlag = true }
            let reply = try await Placements.call(shown, Coi_Placements_V1_Seasons.Method.compare, .with {
                $0.fromYear = from
                $0.toYear = to
            })
            Placements.list(reply.seasons, shown, columns: ["year", "week", "season_id", "offers", "places", "seekers", "placed", "exchanges",
                                                              "fill_rate", "placed_change", "fill_rate_change"])
        }
    }

    struct Feed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the public event feed (one JSON line each with --json).")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this season.") var season = ""
        @Option(help: "Start after this cursor.") var after: Int64 = 0
        @Flag(help: "Keep following new events.") var follow = false

        func run() async throws {
            try await Session.with(options) { session in
                let request = Coi_Placements_V1_FeedRequest.with {
                    $0.seasonID = season
                    $0.after = after
                    $0.follow = follow
                }
                do {
                    let stream = try session.connection.stream(Coi_Placements_V1_Seasons.Method.feed, request, metadata: options.metadata,
                                                               timeout: follow ? nil : options.deadline)
                    for try await event in stream.replies {
                        if options.json {
                            let object = Placements.object(event)
                            if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
                                print(String(decoding: data, as: UTF8.self))
                            }
                        } else {
                            print("\(event.cursor)  \(event.time)  \(event.kind)  \(event.subject)  \(event.detail)")
                        }
                    }
                } catch let error as RPCError {
                    throw Session.fail(error)
                }
            }
        }
    }
}
