import ArgumentParser
import COIProto
import COIWire
import Foundation
import SwiftProtobuf

extension Nominations {
    struct Results: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compute, publish and show a campaign's results.",
                                                        subcommands: [Compute.self, Publish.self, Show.self])

        /// Prints results: per region the ranking with winner and alternates marked.
        static func print(_ results: Coi_Nominations_V1_CampaignResults, _ options: GlobalOptions) {
            if options.json {
                Output.json(Nominations.object(results))
                return
            }
            Swift.print("campaign \(results.campaignID): \(results.published ? "published \(results.publishedAt)" : "not published (preview)")"
                        + (results.normalised ? ", normalised scores" : ""))
            Swift.print("national winner: \(results.nationalWinnerID.isEmpty ? "-" : results.nationalWinnerID)")
            var rows: [[String]] = []
            for region in results.regions {
                for ranked in region.ranking {
                    let role = ranked.nominationID == results.nationalWinnerID ? "NATIONAL WINNER"
                        : ranked.nominationID == region.winnerID ? "regional winner"
                        : region.alternates.contains(ranked.nominationID) ? "alternate" : ranked.excluded ? "already won" : ""
                    rows.append([region.region, "\(ranked.rank)", ranked.nominationID, String(format: "%.3f", ranked.score), "\(ranked.sheets)",
                                 "\(ranked.topRanks)", "\(ranked.endorsements)", role.isEmpty ? "-" : role, ranked.title.isEmpty ? "-" : ranked.title])
                }
            }
            Output.table(["REGION", "RANK", "NOMINATION", "SCORE", "SHEETS", "TOP", "ENDORSED", "ROLE", "TITLE"], rows)
        }

        struct Compute: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Preview the results from the scores so far (changes nothing).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The campaign's id.") var campaign: String

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                Results.print(try await session.call(Coi_Nominations_V1_Results.Method.compute, Coi_Nominations_V1_ComputeResultsRequest.with {
                    $0.campaignID = campaign
                }), options)
            }
        }

        struct Publish: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Freeze and publish the results; the campaign moves to phase published.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The campaign's id.") var campaign: String

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                Results.print(try await session.call(Coi_Nominations_V1_Results.Method.publish, Coi_Nominations_V1_PublishResultsRequest.with {
                    $0.campaignID = campaign
                }), options)
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show the published results.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The campaign's id.") var campaign: String

            func run() async throws {
                let session = try await Session.open(options)
                defer { Task { await session.close() } }
                Results.print(try await session.call(Coi_Nominations_V1_Results.Method.get, Coi_Nominations_V1_GetResultsRequest.with {
                    $0.campaignID = campaign
                }), options)
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a campaign's nominations, scores or results as CSV (RFC 4180, UTF-8, header row).")
        enum Table: String, ExpressibleByArgument, CaseIterable { case nominations, scores, results }
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The campaign's id.") var campaign: String
        @Argument(help: "nominations, scores or results.") var table: Table
        @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "path")) var output: String?

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            let request = Coi_Nominations_V1_ExportRequest.with {
                $0.campaignID = campaign
                $0.table = switch table {
                case .nominations: .nominations
                case .scores: .scores
                case .results: .results
                }
            }
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil) , let file = FileHandle(forWritingAtPath: output) else {
                    Output.error("cannot write \(output)")
                    throw ExitCode(73)
                }
                handle = file
            } else {
                handle = FileHandle.standardOutput
            }
            do {
                let stream = try session.connection.stream(Coi_Nominations_V1_Campaigns.Method.export, request,
                                                           metadata: options.metadata, timeout: options.deadline)
                for try await chunk in stream.replies {
                    handle.write(chunk.data)
                }
            } catch let error as RPCError {
                throw Session.fail(error)
            }
            if output != nil { try handle.close() }
        }
    }

    struct Feed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the public event feed, one JSON line per event.",
            discussion: "Resume with --after CURSOR (the last cursor you saw); --follow keeps waiting for new events.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Events after this cursor.") var after: Int64 = 0
        @Option(help: "Only this campaign's events.") var campaign = ""
        @Flag(help: "Keep the stream open for new events.") var follow = false

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            let request = Coi_Nominations_V1_FeedRequest.with {
                $0.after = after
                $0.campaignID = campaign
                $0.follow = follow
            }
            do {
                let stream = try session.connection.stream(Coi_Nominations_V1_Campaigns.Method.feed, request,
                                                           metadata: options.metadata, timeout: follow ? nil : options.deadline)
                for try await event in stream.replies {
                    var text = (try? event.jsonString(options: {
                        var json = JSONEncodingOptions()
                        json.preserveProtoFieldNames = true
                        json.alwaysPrintInt64sAsNumbers = true
                        return json
                    }())) ?? "{}"
                    text += "\n"
                    FileHandle.standardOutput.write(Data(text.utf8))
                }
            } catch let error as RPCError {
                throw Session.fail(error)
            }
        }
    }
}
