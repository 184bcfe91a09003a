@testable import COIBarometer
import Foundation
import Testing

/// Every estimate against R's survey package, number by number (1e-6 relative). Needs Rscript with the
/// survey package (Debian: apt-get install r-cran-survey); skipped without it.
@Suite(.enabled(if: RReference.available, "needs Rscript with R's survey package (apt-get install r-cran-survey)"), .serialized)
struct ReferenceTests {
    @Test func syntheticWaveMatchesR() throws {
        let data = try ReferenceData()
        let answerProblems = data.respondents.flatMap {
            AnswerValidator.problems(in: $0.answers, for: data.questionnaire, complete: true)
        }
        #expect(answerProblems.isEmpty)
        let comparison = ReferenceComparison(questionnaire: data.questionnaire, respondents: data.respondents,
                                             populationSizes: data.sample.populationSizes,
                                             margins: [try data.margin("region"), try data.margin("sector")],
                                             breakdowns: [["region"], ["level", "sector"], ["pilot"]], rakedBreakdowns: [["region"]])
        let outcome = try comparison.run()
        #expect(outcome.mismatches.count == 0, "\(outcome.mismatches.count) mismatches:\n\(outcome.mismatches.prefix(20).joined(separator: "\n"))")
        // The awkward cases are really there.
        #expect(outcome.lonelyStrata == 1)
        #expect(outcome.undefinedIntervals > 0)
        #expect(outcome.estimates > 700)
        #expect(outcome.glmFailures == 0)
        #expect(outcome.intervalsFromSvyglm > 0)
    }

    @Test func apistratMatchesR() throws {
        let directory = try RReference.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try RReference.estimates("export-api", directory: directory)
        let records = try RReference.records(directory.appendingPathComponent("apistrat.csv"))
        #expect(records.count == 200)
        let questionnaire = try Questionnaire.parse(json: """
            {"questions": [{"id": "api00", "type": "numeric", "text": "API in 2000"},
                           {"id": "sch_wide", "type": "single_choice", "text": "Met school-wide growth target?",
                            "options": [{"code": "No", "label": "No"}, {"code": "Yes", "label": "Yes"}]}]}
            """)
        var populations: [StratumKey: Int] = [:]
        let respondents = records.map { record in
            let stratum = StratumKey([record["stratum"] ?? ""])
            populations[stratum] = Int(Double(record["fpc"] ?? "") ?? 0)
            return Respondent(unitID: record["unit_id"] ?? "", stratum: stratum,
                              variables: ["stype": record["stratum"] ?? "", "awards": record["awards"] ?? "", "both": record["both"] ?? ""],
                              answers: ["api00": .number(Double(record["api00"] ?? "") ?? .nan), "sch_wide": .choice(record["sch_wide"] ?? "")])
        }
        // Known from the survey package's own examples: svymean(~api00, dstrat) is 662.29, SE 9.4089.
        let design = try WeightedDesign(respondents: respondents, populationSizes: populations)
        let overall = try Estimator(questionnaire: questionnaire, design: design).estimates(question: "api00", domain: .overall)
        #expect(abs((overall.first?.value?.estimate ?? 0) - 662.29) < 0.005)
        #expect(abs((overall.first?.value?.standardError ?? 0) - 9.4089) < 0.00005)

        let comparison = ReferenceComparison(questionnaire: questionnaire, respondents: respondents, populationSizes: populations,
                                             margins: [RakingMargin(variable: "awards", totals: ["No": 2500, "Yes": 3694]),
                                                       RakingMargin(variable: "both", totals: ["No": 2000, "Yes": 4194])],
                                             breakdowns: [["stype"], ["awards"], ["both", "stype"]],
                                             rakedBreakdowns: [["stype"], ["awards"], ["both", "stype"]])
        let outcome = try comparison.run()
        #expect(outcome.mismatches.count == 0, "\(outcome.mismatches.count) mismatches:\n\(outcome.mismatches.prefix(20).joined(separator: "\n"))")
        #expect(outcome.estimates > 40)
        #expect(outcome.glmFailures == 0)
    }
}
