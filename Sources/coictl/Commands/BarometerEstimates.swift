import ArgumentParser
import COIProto
import Foundation

extension Barometer {
    struct Estimate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Weighted estimates of a question, as R's survey package computes them.",
            discussion: """
                Proportions of every category (logit intervals) and, for numeric and Likert questions, the mean (t interval). \
                --by gives one domain per value of a frame variable (or of "a,b" crossed); only those domains are printed. \
                --json prints one object per line: question, by, domain, category, statistic, estimate, se, ci_low, ci_high, \
                respondents, suppressed (numbers null when suppressed).
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The wave's id.") var wave: String
        @Option(help: "The question id (repeatable; default all).") var question: [String] = []
        @Option(help: "A frame variable, or several comma-separated to cross them.") var by: String?
        @Option(help: "Frame variables to rake the weights to, comma-separated.") var rake: String?

        func run() async throws {
            try await Session.with(options) { session in
                let reply = try await session.call(Coi_Barometer_V1_Estimates.Method.estimate, .with {
                    $0.waveID = wave
                    $0.questions = question
                    if let by { $0.by = [by] }
                    if let rake { $0.rake = rake.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
                    $0.omitOverall = by != nil
                })
                if options.json {
                    let text = reply.estimates.map(Barometer.line).joined(separator: "\n")
                    Output.out(text.isEmpty ? "" : text + "\n")
                    return
                }
                Output.table(["QUESTION", "DOMAIN", "CATEGORY", "STATISTIC", "ESTIMATE", "SE", "95% CI", "N"], reply.estimates.map { estimate in
                    let numbers = estimate.hasNumbers ? estimate.numbers : nil
                    let ci = numbers.flatMap { $0.hasCi ? String(format: "%.4f–%.4f", $0.ci.low, $0.ci.high) : "-" } ?? "-"
                    return [estimate.question, estimate.by.isEmpty ? "overall" : "\(estimate.by)=\(estimate.domain)",
                            estimate.category.isEmpty ? "-" : estimate.category, estimate.statistic,
                            numbers.map { String(format: "%.4f", $0.estimate) } ?? "suppressed", numbers.map { String(format: "%.4f", $0.se) } ?? "-",
                            ci, "\(estimate.respondents)"]
                })
                if reply.rakingRounds > 0 {
                    print("raked in \(reply.rakingRounds) rounds\(reply.rakingConverged ? "" : " (not converged, as R's rake() would warn)")")
                }
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export anonymised microdata, the codebook (CSV or JSON) or every estimate as CSV.",
            discussion: """
                microdata: completed responses without names, unit ids or tokens; strata variables, N_h, m_h and weights kept; \
                answers to text questions only with --include-text (free text can name the workplace). \
                estimates: every question overall and by level, sector, size_class and region.
                """)
        enum Table: String, ExpressibleByArgument, CaseIterable {
            case microdata, codebook, codebookJSON = "codebook-json", estimates
        }
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The wave's id.") var wave: String
        @Argument(help: "microdata, codebook, codebook-json or estimates.") var table: Table
        @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "path")) var output: String?
        @Flag(help: "microdata: also the answers to text questions.") var includeText = false

        func validate() throws {
            if includeText && table != .microdata { throw ValidationError("--include-text applies to microdata only") }
        }

        func run() async throws {
            try await Session.with(options) { session in
                try await Barometer.export(session, .with {
                    $0.waveID = wave
                    $0.includeText = includeText
                    $0.table = switch table {
                    case .microdata: .microdata
                    case .codebook: .codebook
                    case .codebookJSON: .codebookJson
                    case .estimates: .estimates
                    }
                }, to: output)
            }
        }
    }

    struct Trend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Estimates across waves for the questions that share a concept key.",
            discussion: """
                Each wave's question with this concept key, estimated overall or (--by) by domain, wave by wave. \
                --wave limits and orders the waves (default: every drawn wave with answers, oldest first). \
                --json prints one object per line: wave_id, wave_name, reference_period, then the fields of \
                `coictl barometer estimate --json`.
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The concept key.") var concept: String
        @Option(help: "A frame variable (or several comma-separated, crossed): one estimate per domain and wave.") var by: String?
        @Option(help: ArgumentHelp("The waves, comma-separated, in the order to show.", valueName: "W1,W2,…")) var wave: String?

        func validate() throws {
            if let wave, wave.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }).contains(where: \.isEmpty) {
                throw ValidationError("--wave has an empty wave id: give ids separated by commas (wav_…,wav_…)")
            }
            if let by, by.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--by is empty: give a frame variable") }
        }

        func run() async throws {
            try await Session.with(options) { session in
                let reply = try await session.call(Coi_Barometer_V1_Estimates.Method.trend, .with {
                    $0.concept = concept
                    if let by { $0.by = by }
                    if let wave { $0.waveIds = wave.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                })
                if options.json {
                    let text = reply.points.map(Barometer.line).joined(separator: "\n")
                    Output.out(text.isEmpty ? "" : text + "\n")
                    return
                }
                Output.table(["WAVE", "PERIOD", "QUESTION", "DOMAIN", "CATEGORY", "ESTIMATE", "SE", "95% CI", "N"], reply.points.map { point in
                    let estimate = point.estimate
                    let numbers = estimate.hasNumbers ? estimate.numbers : nil
                    let ci = numbers.flatMap { $0.hasCi ? String(format: "%.4f–%.4f", $0.ci.low, $0.ci.high) : "-" } ?? "-"
                    return [point.waveName, point.referencePeriod.isEmpty ? "-" : point.referencePeriod, estimate.question,
                            estimate.by.isEmpty ? "overall" : "\(estimate.by)=\(estimate.domain)",
                            estimate.category.isEmpty ? estimate.statistic : estimate.category,
                            numbers.map { String(format: "%.4f", $0.estimate) } ?? "suppressed", numbers.map { String(format: "%.4f", $0.se) } ?? "-",
                            ci, "\(estimate.respondents)"]
                })
            }
        }
    }
}
