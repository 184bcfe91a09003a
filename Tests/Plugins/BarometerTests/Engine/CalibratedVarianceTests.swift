@testable import COIBarometer
import Testing

/// The closed form of `CalibratedVariance` against R's `svyrecvar` written out literally: ten sweeps of
/// x ← x − w_k · ave(x / w_k, level_k) over all respondents, then the stratified sum of squares.
@Suite struct CalibratedVarianceTests {
    static func literal(_ design: WeightedDesign, _ influence: [Double]) -> Double {
        guard let raking = design.raking else { return .nan }
        var x = influence
        for _ in 0..<10 {
            for k in raking.levels.indices {
                var sums = [Double](repeating: 0, count: raking.counts[k].count)
                for row in x.indices { sums[raking.levels[k][row]] += x[row] / raking.stepWeights[k][row] }
                for row in x.indices { x[row] -= raking.stepWeights[k][row] * sums[raking.levels[k][row]] / raking.counts[k][raking.levels[k][row]] }
            }
        }
        var variance = 0.0
        for stratum in design.strata.indices {
            let members = x.indices.filter { design.stratumOfRow[$0] == stratum }
            let mean = members.count > 1 ? members.reduce(0) { $0 + x[$1] } / Double(members.count) : 0
            variance += design.varianceFactor[stratum] * members.reduce(0) { $0 + (x[$1] - mean) * (x[$1] - mean) }
        }
        return variance
    }

    @Test func closedFormEqualsTheSweeps() throws {
        let data = try ReferenceData()
        let design = try WeightedDesign(respondents: data.respondents, populationSizes: data.sample.populationSizes,
                                        raking: [try data.margin("region"), try data.margin("sector"), try data.margin("size")])
        var random = Xoshiro256StarStar(seed: 5)
        var linearization = Linearization(design: design)
        for trial in 0..<20 {
            // Domains of every size, down to a handful of respondents.
            let share = [1.0, 0.5, 0.1, 0.03][trial % 4]
            let rows = design.weights.indices.filter { _ in random.nextUnit() < share }
            guard !rows.isEmpty else { continue }
            let values = rows.map { _ in random.nextUnit() < 0.4 ? 1.0 : 0.0 }
            let (estimate, variance) = linearization.mean(rows: rows, values: values)
            let total = rows.reduce(0) { $0 + design.weights[$1] }
            var influence = [Double](repeating: 0, count: design.weights.count)
            for (row, value) in zip(rows, values) { influence[row] = design.weights[row] * (value - estimate) / total }
            let expected = Self.literal(design, influence)
            #expect(abs(variance - expected) <= 1e-10 * expected, "trial \(trial): \(variance) vs \(expected)")
        }
    }

    @Test func rakedWeightsHitTheMargins() throws {
        let data = try ReferenceData()
        let margins = [try data.margin("region"), try data.margin("sector")]
        let design = try WeightedDesign(respondents: data.respondents, populationSizes: data.sample.populationSizes, raking: margins)
        // The last margin is met exactly; earlier ones to within R's stopping rule (no cell moved by 1).
        for (index, margin) in margins.enumerated() {
            var sums: [String: Double] = [:]
            for (respondent, weight) in zip(data.respondents, design.weights) { sums[respondent.variables[margin.variable] ?? "", default: 0] += weight }
            for (level, total) in margin.totals {
                #expect(abs((sums[level] ?? 0) - total) < (index == margins.count - 1 ? 1e-9 : 1))
            }
        }
        #expect(design.rakingConverged == true)
        #expect(abs(design.weights.reduce(0, +) - Double(data.frame.units.count)) < 1e-6)
    }
}
