@testable import COIBarometer
import Foundation

/// Computes the engine's estimates, has R compute the same ones from the same respondents, and lists
/// every number that differs by more than 1e-6 relative (or 1e-9 absolute, for values at 0).
struct ReferenceComparison {
    var questionnaire: Questionnaire
    var respondents: [Respondent]
    var populationSizes: [StratumKey: Int]
    var margins: [RakingMargin] = []
    var breakdowns: [[String]] = []
    /// Breakdowns for the raked design (R takes about twice as long per raked estimate).
    var rakedBreakdowns: [[String]] = []

    /// How many numbers were compared, and the mismatches.
    struct Outcome {
        var compared = 0
        var estimates = 0
        var mismatches: [String] = []
        var undefinedIntervals = 0
        var lonelyStrata = 0
        /// Proportions whose interval R could not give because svyciprop's glm diverged (see estimates.R),
        /// with the fewest answerers among them.
        var glmFailures = 0
        var largestFailedDomain = 0
        /// Proportions with one degree of freedom, whose interval R could only give from svyglm and qt
        /// (see estimates.R).
        var intervalsFromSvyglm = 0
    }

    func run() throws -> Outcome {
        let directory = try RReference.temporaryDirectory()
        // BAROMETER_KEEP_R_FILES=1 leaves the CSV files for a look at what R was given.
        defer {
            if ProcessInfo.processInfo.environment["BAROMETER_KEEP_R_FILES"] == nil { try? FileManager.default.removeItem(at: directory) }
        }
        var designs: [(String, WeightedDesign)] = [("base", try WeightedDesign(respondents: respondents, populationSizes: populationSizes))]
        if !margins.isEmpty {
            designs.append(("raked", try WeightedDesign(respondents: respondents, populationSizes: populationSizes, raking: margins)))
        }
        var spec: [[String]] = [["id", "design", "column", "kind", "category", "domain_vars", "domain_values"]]
        var expected: [String: Estimate] = [:]
        for (name, design) in designs {
            let estimator = try Estimator(questionnaire: questionnaire, design: design, minimumRespondents: 1)
            let domains = name == "base" ? breakdowns : rakedBreakdowns
            for (index, estimate) in try estimator.estimates(breakdowns: domains).enumerated() where !estimate.suppressed {
                let id = "\(name)#\(index)"
                expected[id] = estimate
                let (column, kind, category) = Self.column(estimate, questionnaire)
                spec.append([id, name, column, kind, category, estimate.domain.variables.joined(separator: ";"),
                             estimate.domain.values.joined(separator: ";")])
            }
        }
        try RReference.write(respondentRows(), to: directory.appendingPathComponent("respondents.csv"))
        try RReference.write(spec, to: directory.appendingPathComponent("spec.csv"))
        if !margins.isEmpty {
            var rows = [["variable", "level", "total"]]
            for margin in margins {
                for (level, total) in margin.totals.sorted(by: { $0.key < $1.key }) { rows.append([margin.variable, level, "\(total)"]) }
            }
            try RReference.write(rows, to: directory.appendingPathComponent("rake.csv"))
        }
        try RReference.estimates("estimate", directory: directory)

        var outcome = Outcome()
        outcome.lonelyStrata = designs[0].1.respondentsPerStratum.filter { $0 == 1 }.count
        for record in try RReference.records(directory.appendingPathComponent("results.csv")) {
            guard let id = record["id"], let estimate = expected.removeValue(forKey: id), let value = estimate.value else { continue }
            outcome.estimates += 1
            let label = "\(id) \(estimate.question)\(estimate.row.map { "." + $0 } ?? "") \(estimate.statistic) \(estimate.domain)"
            if Int(record["df"] ?? "") != value.degreesOfFreedom {
                outcome.mismatches.append("\(label): df \(value.degreesOfFreedom), R \(record["df"] ?? "")")
            }
            if value.lower == nil { outcome.undefinedIntervals += 1 }
            var pairs: [(String, Double?)] = [("estimate", value.estimate), ("se", value.standardError)]
            if record["ci_from"] == "svyglm_qt" { outcome.intervalsFromSvyglm += 1 }
            if record["glm_ok"] == "TRUE" {
                pairs += [("ci_low", value.lower), ("ci_high", value.upper)]
            } else {
                outcome.glmFailures += 1
                outcome.largestFailedDomain = max(outcome.largestFailedDomain, estimate.respondents)
            }
            // At p = 0 or 1 R's glm separates: its interval is p ± noise (1e-11, up to 2e-7 with df = 1's
            // t of 12.7), the engine's [p, p]. Those intervals are compared absolutely, at 1e-6.
            let degenerate = estimate.statistic != .mean && (value.estimate == 0 || value.estimate == 1)
            for (field, mine) in pairs {
                let theirs = Double(record[field] ?? "").flatMap { $0.isNaN ? nil : $0 }
                let absolute = degenerate && field.hasPrefix("ci") ? 1e-6 : 1e-9
                outcome.compared += 1
                switch (mine, theirs) {
                case (nil, nil): continue
                case (let mine?, let theirs?) where abs(mine - theirs) <= max(1e-6 * max(abs(mine), abs(theirs)), absolute): continue
                default: outcome.mismatches.append("\(label): \(field) \(mine.map { "\($0)" } ?? "nil"), R \(record[field] ?? "")")
                }
            }
        }
        outcome.mismatches += expected.keys.sorted().map { "\($0): no result from R" }
        return outcome
    }

    /// The respondents as R reads them: one column per answer item, "" for no answer.
    func respondentRows() -> [[String]] {
        let variables = Set(respondents.flatMap(\.variables.keys)).sorted()
        var header = ["unit_id", "stratum", "fpc"] + variables
        var cells: [(Respondent) -> String] = []
        for question in questionnaire.questions {
            switch question.kind {
            case .yesNo, .singleChoice, .likert, .numeric:
                header.append(question.id)
                cells.append { Self.text($0.answers[question.id]) }
            case .multipleChoice(let options):
                for option in options {
                    header.append(question.id + "__" + option.code)
                    cells.append { respondent in
                        guard case .choices(let codes)? = respondent.answers[question.id] else { return "" }
                        return codes.contains(option.code) ? "1" : "0"
                    }
                }
            case .matrix(let rows, _):
                for row in rows {
                    header.append(question.id + "__" + row.code)
                    cells.append { respondent in
                        guard case .rows(let given)? = respondent.answers[question.id] else { return "" }
                        return Self.text(given[row.code])
                    }
                }
            case .text:
                continue
            }
        }
        return [header] + respondents.map { respondent in
            [respondent.unitID, respondent.stratum.description, "\(populationSizes[respondent.stratum] ?? 0)"]
                + variables.map { respondent.variables[$0] ?? "" } + cells.map { $0(respondent) }
        }
    }

    static func text(_ answer: Answer?) -> String {
        switch answer {
        case .choice(let code)?: code
        case .number(let value)?: value == value.rounded() ? String(Int(value)) : "\(value)"
        default: ""
        }
    }

    static func column(_ estimate: Estimate, _ questionnaire: Questionnaire) -> (String, String, String) {
        let base = estimate.question + (estimate.row.map { "__" + $0 } ?? "")
        switch estimate.statistic {
        case .mean: return (base, "mean", "")
        case .proportion(let category):
            if case .multipleChoice? = questionnaire.question(estimate.question)?.kind { return (base + "__" + category, "prop", "1") }
            return (base, "prop", category)
        }
    }
}
