import ArgumentParser
import COIProto
import COIRPC
import Foundation

extension Nominations {
    struct Results: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compute, publish and show a campaign's results.",
                                                        subcommands: [Compute.self, Publish.self, Show.self])

        /// Prints results: per region the ranking with winner and alternates marked.
        static func print(_ results: Coi_Nominations_V1_CampaignResults, _ options: GlobalOptions) {
            if options.json {
                return Output.show(results, options)
            }
            Output.line("campaign \(results.campaignID): \(results.published ? "published \(results.publishedAt)" : "not published (preview)")"
                        + (results.normalised ? ", normalised scores" : ""))
            Output.line("national winner: \(results.nationalWinnerID.isEmpty ? "-" : results.nationalWinnerID)")
            var rows: [[String]] = []
            for region in results.regions {
                for ranked in region.ranking {
                    let role = ranked.nominationID == results.nationalWinnerID ? "NATIONAL WINNER"
                        : ranked.nominationID == region.winnerID ? "regional winner"
                        : region.alternates.contains(ranked.nominationID) ? "alternate" : ranked.excluded ? "already won" : ""
                    rows.append([region.regionName, "\(ranked.rank)", ranked.nominationID, String(format: "%.3f", ranked.score), "\(ranked.sheets)",
                                 "\(ranked.topRanks)", "\(ranked.endorsements)", role.isEmpty ? "-" : role, ranked.title.isEmpty ? "-" : ranked.title])
                }
            }
            Output.table(["REGION", "RANK", "NOMINATION", "SCORE", "SHEETS", "TOP", "ENDORSED", "ROLE", "TITLE"], rows)
            if !results.warnings.isEmpty {
                Output.line("cannot be published yet (\(results.warnings.count) problem\(results.warnings.count == 1 ? "" : "s")):")
                for warning in results.warnings { Output.line("  \(warning.message)") }
            }
        }

        struct Compute: UnaryCommand {
            static let configuration = CommandConfiguration(abstract: "Preview the results from the scores so far (changes nothing).")
            static let rpc = Coi_Nominations_V1_Results.Method.compute
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The campaign's id.") var campaign: String

            func request() -> Coi_Nominations_V1_ComputeResultsRequest { .with { $0.campaignID = campaign } }
            func render(_ results: Coi_Nominations_V1_CampaignResults) { Results.print(results, options) }
        }

        struct Publish: UnaryCommand {
            static let configuration = CommandConfiguration(abstract: "Freeze and publish the results; the campaign moves to phase published.")
            static let rpc = Coi_Nominations_V1_Results.Method.publish
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The campaign's id.") var campaign: String

            func request() -> Coi_Nominations_V1_PublishResultsRequest { .with { $0.campaignID = campaign } }
            func render(_ results: Coi_Nominations_V1_CampaignResults) { Results.print(results, options) }
        }

        struct Show: UnaryCommand {
            static let configuration = CommandConfiguration(abstract: "Show the published results.")
            static let rpc = Coi_Nominations_V1_Results.Method.get
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The campaign's id.") var campaign: String

            func request() -> Coi_Nominations_V1_GetResultsRequest { .with { $0.campaignID = campaign } }
            func render(_ results: Coi_Nominations_V1_CampaignResults) { Results.print(results, options) }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a campaign's nominations, scores or results as CSV or JSON lines.",
            discussion: """
                --format csv (the default): RFC 4180, UTF-8, CRLF, a header row. --format jsonl (also what --json asks \
                for): one object per row, keyed by the CSV header's names, numbers and booleans typed.
                """)
        enum Table: String, ExpressibleByArgument, CaseIterable { case nominations, scores, results }
        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, jsonl }
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Argument(help: "nominations, scores or results.") var table: Table
        @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "path")) var output: String?
        @Option(help: "csv or jsonl (default: csv, or jsonl with --json).") var format: Format?

        func run() async throws {
            let format = self.format ?? (options.json ? .jsonl : .csv)
            let request = Coi_Nominations_V1_ExportRequest.with {
                $0.campaignID = campaign
                $0.table = switch table {
                case .nominations: .nominations
                case .scores: .scores
                case .results: .results
                }
                $0.format = format == .jsonl ? .jsonl : .csv
            }
            var file: FileHandle?
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil), let handle = FileHandle(forWritingAtPath: output) else {
                    Output.error("cannot write \(output)")
                    throw ExitCode(73)
                }
                file = handle
            }
            try await Session.with(options) { session in
                try await session.serverStream(Coi_Nominations_V1_Campaigns.Method.export, request) { chunk in
                    if let file { try file.write(contentsOf: chunk.data) } else { Output.out(chunk.data) }
                }
            }
            try file?.close()
        }
    }

    struct Feed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the public event feed, one JSON line per event.",
            discussion: "Resume with --after CURSOR (the last cursor you saw); --follow keeps waiting for new events.")
        @OptionGroup var options: GlobalOptions
        @Option(help: ArgumentHelp("Events after this cursor (default: from the first).", valueName: "cursor")) var after: Int64?
        @Option(help: "Only this campaign's events.") var campaign = ""
        @Flag(help: "Keep the stream open for new events.") var follow = false

        func run() async throws {
            let request = Coi_Nominations_V1_FeedRequest.with {
                $0.after = after ?? 0
                $0.campaignID = campaign
                $0.follow = follow
            }
            try await Session.with(options) { session in
                try await session.serverStream(Coi_Nominations_V1_Campaigns.Method.feed, request, follow: follow) {
                    Output.json(ProtoJSON.value($0), flush: true)
                }
            }
        }
    }
}
