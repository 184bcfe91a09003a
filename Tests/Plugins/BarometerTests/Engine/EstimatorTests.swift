@testable import COIBarometer
import Testing

/// A ten-respondent design small enough to reason about, with numbers from R (survey 4.1) pinned, so the
/// estimator is checked even where R is not installed. Strata: A (N 10, 4 respondents), B (N 6, 2),
/// C (N 5, 1: a lonely respondent), D (N 3, 3: complete, no finite-population variance). One
/// respondent skipped y, one skipped v.
@Suite struct EstimatorTests {
    static let questionnaire: Questionnaire = {
        let questions = [Question(id: "y", text: "y", kind: .yesNo(dontKnow: false)),
                         Question(id: "v", text: "v", kind: .numeric(min: nil, max: nil)),
                         Question(id: "t", text: "t", kind: .text)]
        return try! Questionnaire(questions: questions)
    }()

    static let respondents: [Respondent] = {
        let rows: [(String, String, String, String?, Double?)] = [
            ("a1", "A", "X", "yes", 10), ("a2", "A", "X", "no", 12), ("a3", "A", "Y", "yes", 7), ("a4", "A", "Y", nil, 9),
            ("b1", "B", "X", "yes", 3), ("b2", "B", "Y", "no", nil), ("c1", "C", "X", "yes", 8),
            ("d1", "D", "Y", "no", 4), ("d2", "D", "Y", "yes", 6), ("d3", "D", "X", "yes", 5),
        ]
        return rows.map { id, stratum, region, y, v in
            var answers: [String: Answer] = [:]
            if let y { answers["y"] = .choice(y) }
            if let v { answers["v"] = .number(v) }
            return Respondent(unitID: id, stratum: StratumKey([stratum]), variables: ["region": region], answers: answers)
        }
    }()

    static let populations: [StratumKey: Int] = [StratumKey(["A"]): 10, StratumKey(["B"]): 6, StratumKey(["C"]): 5, StratumKey(["D"]): 3]

    func estimator(raked: Bool = false, minimum: Int = 1) throws -> Estimator {
        let margins = raked ? [RakingMargin(variable: "region", totals: ["X": 12, "Y": 12])] : []
        let design = try WeightedDesign(respondents: Self.respondents, populationSizes: Self.populations, raking: margins)
        return try Estimator(questionnaire: Self.questionnaire, design: design, minimumRespondents: minimum)
    }

    func value(_ estimates: [Estimate], _ statistic: Estimate.Statistic, _ domain: Domain = .overall) -> Estimate.Value? {
        estimates.first { $0.statistic == statistic && $0.domain == domain }?.value
    }

    func expect(_ value: Estimate.Value?, _ expected: [Double?], df: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let value else {
            Issue.record("no value", sourceLocation: sourceLocation)
            return
        }
        let mine = [value.estimate, value.standardError, value.lower, value.upper]
        for (a, b) in zip(mine, expected) {
            switch (a, b) {
            case (nil, nil): continue
            case (let a?, let b?) where abs(a - b) <= 1e-12 * max(1, abs(b)): continue
            default: Issue.record("\(mine) is not \(expected)", sourceLocation: sourceLocation)
            }
        }
        #expect(value.degreesOfFreedom == df, sourceLocation: sourceLocation)
    }

    @Test func overallMatchesR() throws {
        let estimates = try estimator().estimates()
        expect(value(estimates, .proportion(category: "yes")), [0.697674418604651, 0.155413953970032, 0.275540879337354, 0.933341300746249],
               df: 6)
        expect(value(estimates, .mean), [7.57142857142857, 0.663361234995515, 5.94824210392788, 9.19461503892926], df: 6)
        #expect(estimates.filter { $0.question == "t" }.isEmpty)
        #expect(estimates.first { $0.statistic == .proportion(category: "yes") }?.respondents == 9)
    }

    @Test func domainsKeepTheFullDesignsStrataSizesAndCountTheirOwnDegreesOfFreedom() throws {
        let estimates = try estimator().estimates(breakdowns: [["region"]])
        let x = Domain(variables: ["region"], values: ["X"]), y = Domain(variables: ["region"], values: ["Y"])
        // df 1: R's svyciprop gives [0, NaN] here (see NOTES.md); this is expit(logit p ± qt(0.975, 1)·SE/(p(1−p))).
        expect(value(estimates, .proportion(category: "yes"), x), [0.821428571428571, 0.140074019523391, 2.47267727467861e-05,
                                                                   0.999998831410431], df: 1)
        expect(value(estimates, .mean, x), [7.78571428571429, 1.01013965987125, -5.04932704473975, 20.6207556161683], df: 1)
        expect(value(estimates, .proportion(category: "yes"), y), [0.466666666666667, 0.205408355702957, 0.0244942695610498,
                                                                   0.968245587048011], df: 2)
        expect(value(estimates, .mean, y), [7.14285714285714, 0.528252208389583, 4.86997133643352, 9.41574294928076], df: 2)
    }

    @Test func rakingMatchesR() throws {
        let estimator = try estimator(raked: true)
        let expectedWeights = [2.14285714285714, 2.14285714285714, 3, 3, 2.57142857142857, 3.6, 4.28571428571429, 1.2, 1.2, 0.857142857142857]
        #expect(zip(estimator.design.weights, expectedWeights).allSatisfy { abs($0 - $1) < 1e-13 })
        #expect(estimator.design.rakingConverged == true)
        let estimates = try estimator.estimates(breakdowns: [["region"]])
        expect(value(estimates, .proportion(category: "yes")), [0.669387755102041, 0.140336670969173, 0.30022445338377, 0.905258105587788],
               df: 6)
        expect(value(estimates, .mean), [7.52100840336134, 0.655386624078373, 5.91733510582208, 9.12468170090061], df: 6)
        expect(value(estimates, .mean, Domain(variables: ["region"], values: ["X"])),
               [7.78571428571429, 1.00498756211209, -4.983863435791, 20.5552920072196], df: 1)
        let x = value(estimates, .proportion(category: "yes"), Domain(variables: ["region"], values: ["X"]))
        #expect(abs((x?.estimate ?? 0) - 0.821428571428571) < 1e-13 && abs((x?.standardError ?? 0) - 0.142678459681701) < 1e-13)
    }

    @Test func smallDomainsAreSuppressed() throws {
        let estimates = try estimator(minimum: 5).estimates(breakdowns: [["region"]])
        let y = estimates.filter { $0.domain == Domain(variables: ["region"], values: ["Y"]) }
        // Region Y: 4 answered y (a4 skipped it), 4 answered v (b2 skipped it).
        #expect(y.allSatisfy { $0.suppressed && $0.respondents == 4 })
        #expect(estimates.filter { $0.domain == Domain(variables: ["region"], values: ["X"]) }.allSatisfy { !$0.suppressed })
    }

    @Test func aDomainWithoutDegreesOfFreedomHasNoInterval() throws {
        // d1 and b2 are in different strata: two respondents, two strata, df 0 (R: NaN).
        let design = try estimator().design
        let values = try Estimator(questionnaire: Self.questionnaire, design: design, minimumRespondents: 1)
            .estimates(question: "y", domain: Domain(variables: ["region"], values: ["Y"]))
        #expect(values.allSatisfy { $0.value?.degreesOfFreedom == 2 })
        let pair = try WeightedDesign(respondents: Self.respondents.filter { ["d1", "b2"].contains($0.unitID) }, populationSizes: Self.populations)
        let estimate = try Estimator(questionnaire: Self.questionnaire, design: pair, minimumRespondents: 1).estimates()
        #expect(estimate.allSatisfy { $0.value?.lower == nil && $0.value?.degreesOfFreedom == 0 })
    }

    @Test func proportionsOfZeroOrOneHaveADegenerateInterval() throws {
        let onlyYes = try WeightedDesign(respondents: Self.respondents.filter { $0.answers["y"] == .choice("yes") }, populationSizes: Self.populations)
        let all = try Estimator(questionnaire: Self.questionnaire, design: onlyYes).estimates(questions: ["y"])
        #expect(all.first?.value == Estimate.Value(estimate: 1, standardError: 0, lower: 1, upper: 1, degreesOfFreedom: 2))
        #expect(all.last?.value == Estimate.Value(estimate: 0, standardError: 0, lower: 0, upper: 0, degreesOfFreedom: 2))
    }

    @Test func badInputIsRefused() throws {
        let stray = Respondent(unitID: "z", stratum: StratumKey(["Q"]), variables: [:], answers: [:])
        #expect(throws: EstimationError.unknownStratum(unit: "z", stratum: StratumKey(["Q"]))) {
            try WeightedDesign(respondents: [stray], populationSizes: Self.populations)
        }
        #expect(throws: EstimationError.tooManyRespondents(StratumKey(["D"]), respondents: 3, population: 2)) {
            try WeightedDesign(respondents: Self.respondents, populationSizes: Self.populations.merging([StratumKey(["D"]): 2]) { $1 })
        }
        #expect(throws: EstimationError.levelWithoutRespondents(variable: "region", level: "Z")) {
            try WeightedDesign(respondents: Self.respondents, populationSizes: Self.populations,
                               raking: [RakingMargin(variable: "region", totals: ["X": 10, "Y": 10, "Z": 4])])
        }
        #expect(throws: EstimationError.levelNotInPopulation(variable: "region", level: "Y")) {
            try WeightedDesign(respondents: Self.respondents, populationSizes: Self.populations,
                               raking: [RakingMargin(variable: "region", totals: ["X": 10])])
        }
        #expect(throws: EstimationError.missingVariable(unit: "a1", variable: "sector")) {
            try estimator().estimates(breakdowns: [["sector"]])
        }
        #expect(throws: EstimationError.unknownQuestion("nope")) { try estimator().estimates(questions: ["nope"]) }
    }
}
