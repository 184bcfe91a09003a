@testable import COIBarometer
import Testing

/// The one-pass estimation of every domain (`DomainSums`, used for unraked designs) against the
/// domain-by-domain linearization (`Linearization`, what `estimates(question:domain:)` and raked
/// designs use): the same estimates, standard errors, intervals, counts and suppression, to rounding.
@Suite struct DomainSumsTests {
    @Test func everyDomainInOnePassEqualsEachDomainAlone() throws {
        let data = try ReferenceData()
        let design = try WeightedDesign(respondents: data.respondents, populationSizes: data.sample.populationSizes)
        // A minimum of 10 suppresses the smallest cells, so suppression is compared too.
        let estimator = try Estimator(questionnaire: data.questionnaire, design: design, minimumRespondents: 10)
        let all = try estimator.estimates(breakdowns: [["region"], ["level", "sector"], ["pilot"], ["size"]])
        #expect(all.count > 500)
        #expect(all.contains(where: \.suppressed) && all.contains { !$0.suppressed })
        try Self.compare(all, estimator)
    }

    @Test func aLonelyAndACompleteStratumAndItemNonResponseAgreeToo() throws {
        let design = try WeightedDesign(respondents: EstimatorTests.respondents, populationSizes: EstimatorTests.populations)
        let estimator = try Estimator(questionnaire: EstimatorTests.questionnaire, design: design, minimumRespondents: 1)
        let all = try estimator.estimates(breakdowns: [["region"]])
        #expect(all.count == 9)
        try Self.compare(all, estimator)
    }

    /// Each estimate against the same question estimated in its domain alone.
    static func compare(_ all: [Estimate], _ estimator: Estimator) throws {
        var alone: [String: [Estimate]] = [:]
        for estimate in all {
            let key = estimate.question + "|" + estimate.domain.description
            if alone[key] == nil { alone[key] = try estimator.estimates(question: estimate.question, domain: estimate.domain) }
            let match = try #require(alone[key]?.first { $0.row == estimate.row && $0.statistic == estimate.statistic })
            #expect(match.respondents == estimate.respondents && match.suppressed == estimate.suppressed, "\(key)")
            guard let mine = estimate.value, let theirs = match.value else { continue }
            #expect(mine.degreesOfFreedom == theirs.degreesOfFreedom)
            for (a, b) in [(mine.estimate, theirs.estimate), (mine.standardError, theirs.standardError),
                           (mine.lower ?? .nan, theirs.lower ?? .nan), (mine.upper ?? .nan, theirs.upper ?? .nan)] {
                #expect(a.isNaN && b.isNaN || abs(a - b) <= 1e-12 * max(abs(b), 1e-3),
                        "\(key) \(estimate.row ?? "") \(estimate.statistic): one pass \(a), alone \(b)")
            }
        }
    }
}
