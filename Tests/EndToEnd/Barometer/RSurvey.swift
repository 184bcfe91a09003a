import COIBarometer
import COIHostTesting
import Foundation
import Testing

/// R's survey package run directly on the acceptance wave's respondents (when installed), for the
/// numbers `coictl barometer estimate` printed: proportions by svyciprop(method = "logit") and means
/// by svymean with confint(df = degf(design)), over `subset()` domains, with na.rm = TRUE.
enum RSurvey {
    static let rscript: String? = ["/usr/bin/Rscript", "/usr/local/bin/Rscript"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static let available: Bool = {
        guard let rscript else { return false }
        return (try? run(rscript, ["-e", "suppressPackageStartupMessages(library(survey))"])) != nil
    }()

    static let script = """
        suppressPackageStartupMessages(library(survey))
        options(survey.lonely.psu = "adjust")
        args <- commandArgs(trailingOnly = TRUE)
        d <- read.csv(args[1], colClasses = "character", na.strings = "", encoding = "UTF-8")
        d$fpc <- as.numeric(d$fpc)
        d$x <- if (args[2] == "mean") as.numeric(d$answer) else as.numeric(d$answer == args[3])
        des <- svydesign(ids = ~1, strata = ~stratum, fpc = ~fpc, data = d)
        values <- if (args[4] == "") "" else sort(unique(d$domain))
        for (v in values) {
            dd <- if (v == "") des else des[d$domain == v, ]
            if (args[2] == "mean") {
                m <- svymean(~x, dd, na.rm = TRUE)
                ci <- confint(m, df = degf(dd))
                cat(v, coef(m)[[1]], SE(m)[[1]], ci[1], ci[2], sep = "\\t"); cat("\\n")
            } else {
                p <- svyciprop(~x, dd, method = "logit", na.rm = TRUE)
                ci <- attr(p, "ci")
                cat(v, coef(p)[[1]], SE(p)[[1]], ci[[1]], ci[[2]], sep = "\\t"); cat("\\n")
            }
        }
        """

    /// Compares every unsuppressed line of one estimate command with R.
    static func check(lines: [[String: Any]], respondents: [Respondent], populations: [StratumKey: Int], question: String, by: String?) throws {
        guard let rscript else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("barometer-r-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var csv = "stratum,fpc,domain,answer\n"
        for respondent in respondents {
            let answer: String = switch respondent.answers[question] {
            case .choice(let code)?: code
            case .number(let value)?: String(value)
            default: ""
            }
            csv += "\"\(respondent.stratum.values.joined(separator: "/"))\",\(populations[respondent.stratum] ?? 0),"
                + "\"\(by.flatMap { respondent.variables[$0] } ?? "")\",\(answer)\n"
        }
        let data = directory.appendingPathComponent("d.csv").path
        let program = directory.appendingPathComponent("check.R").path
        try csv.write(toFile: data, atomically: true, encoding: .utf8)
        try script.write(toFile: program, atomically: true, encoding: .utf8)
        // One R run per category (or the mean) gives every domain's row.
        var outputs: [String: [[String]]] = [:]
        for line in lines where line["suppressed"] as? Bool == false {
            let statistic = line["statistic"] as? String ?? ""
            let category = line["category"] as? String ?? ""
            if outputs[category] == nil {
                let output = try run(rscript, ["--vanilla", program, data, statistic == "mean" ? "mean" : "prop", category, by ?? ""])
                outputs[category] = output.split(separator: "\n").map { text -> [String] in
                    text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                }
            }
            let domain = line["domain"] as? String ?? ""
            let rows: [[String]] = outputs[category] ?? []
            let row = try #require(rows.first { fields in fields.count == 5 && fields[0] == domain })
            for (index, key) in ["estimate", "se", "ci_low", "ci_high"].enumerated() {
                guard let printed = line[key] as? Double, let r = Double(row[index + 1]) else { continue }
                #expect(abs(printed - r) <= 1e-6 * max(abs(r), 1e-3), "R \(question) \(domain) \(category) \(key): coictl \(printed), R \(r)")
            }
        }
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let outcome = try ReferenceProcess.run(executable, arguments, environment: ["LANG": "C.UTF-8"])
        guard outcome.status == 0 else { throw CocoaError(.fileReadUnknown) }
        return String(decoding: outcome.output, as: UTF8.self)
    }
}
