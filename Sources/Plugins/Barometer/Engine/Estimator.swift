internal import Foundation

/// Proportions and means with standard errors and confidence intervals, overall and by domain, as R's
/// survey package gives them (docs/barometer.md has the R calls each number matches).
///
/// For every category of a yes/no, single-choice, multiple-choice or Likert question (each matrix row
/// counting as a question): the proportion, R `svymean` of the 0/1 indicator, with its standard error
/// and the interval of `svyciprop(method = "logit")`: expit(logit p ± t·SE/(p(1−p))), t the quantile
/// with `degf` of the domain's design. For numeric and Likert questions the mean, its standard error
/// and the interval mean ± t·SE (R `confint(svymean(…), df = degf(design))`).
///
/// A domain is R's `subset(design, …)`: its respondents, with every stratum's m_h kept from the full
/// design, so `degf` is its respondents minus the strata they fall in. Respondents who did not answer
/// (or whom routing skipped) are left out of that question as `na.rm = TRUE` leaves them out: the
/// estimate is over answerers and the variance treats the others as zeros, while the degrees of
/// freedom stay those of the domain (R's `svyciprop(…, na.rm = TRUE)` takes `degf` of the design it is
/// given). A domain in which fewer than `minimumRespondents` answered is suppressed. A proportion of 0
/// or 1 has standard error 0 and interval [p, p] (R's glm there gives p ± 1e-11 with a warning).
public struct Estimator: Sendable {
    public let questionnaire: Questionnaire
    public let design: WeightedDesign
    public let minimumRespondents: Int
    public let level: Double
    let items: [String: [EstimationItem]]

    /// Prepares estimation.
    /// - Parameters:
    ///   - questionnaire: The questionnaire the answers follow.
    ///   - design: The weighted design of the respondents.
    ///   - minimumRespondents: Disclosure control: the fewest answerers a domain may be shown with.
    ///   - level: The confidence level.
    /// - Throws: `EstimationError.invalidLevel`.
    public init(questionnaire: Questionnaire, design: WeightedDesign, minimumRespondents: Int = 5, level: Double = 0.95)
        throws(EstimationError) {
        if !(level > 0 && level < 1) { throw .invalidLevel(level) }
        self.questionnaire = questionnaire
        self.design = design
        self.minimumRespondents = minimumRespondents
        self.level = level
        var items: [String: [EstimationItem]] = [:]
        for question in questionnaire.questions {
            items[question.id] = EstimationItem.items(of: question, respondents: design.respondents)
        }
        self.items = items
    }

    /// Estimates for questions overall and for every domain of each breakdown.
    /// - Parameters:
    ///   - breakdowns: Each a list of variables whose value combinations are domains; `[]` (overall)
    ///     always comes first and need not be listed.
    ///   - questions: The question ids (default: all, in questionnaire order; text questions give none).
    /// - Returns: Per question, per breakdown, per domain (value order), per matrix row: the category
    ///   proportions, then the mean.
    /// - Throws: `EstimationError` for unknown questions or respondents lacking a breakdown variable.
    public func estimates(breakdowns: [[String]] = [], questions: [String]? = nil) throws(EstimationError) -> [Estimate] {
        let ids = questions ?? questionnaire.questions.map(\.id)
        for id in ids where items[id] == nil { throw .unknownQuestion(id) }
        var domains: [(Domain, [Int])] = [(.overall, Array(design.weights.indices))]
        for breakdown in breakdowns where !breakdown.isEmpty {
            domains += try partition(by: breakdown)
        }
        let cells = domains.map { domain, rows in Cell(domain: domain, rows: rows, degrees: design.degreesOfFreedom(rows: rows), level: level) }
        var results: [Estimate] = []
        guard design.calibration == nil else {
            // Raked: each domain's influence values go through the calibration residuals, row by row.
            var linearization = Linearization(design: design)
            for id in ids {
                for cell in cells { estimate(id, in: cell, into: &results, using: &linearization) }
            }
            return results
        }
        let layout = DomainSums(design: design, cells: cells.map(\.rows))
        for id in ids { estimateInOnePass(id, cells: cells, layout: layout, into: &results) }
        return results
    }

    /// A question's estimates in every domain from one pass over its answerers per item
    /// (`DomainSums`), in the order `estimate(_:in:into:using:)` gives them domain by domain.
    func estimateInOnePass(_ id: String, cells: [Cell], layout: DomainSums, into results: inout [Estimate]) {
        let items = self.items[id] ?? []
        let sums = items.map { layout.sums(of: $0, weights: design.weights) }
        for (index, cell) in cells.enumerated() {
            for (item, sums) in zip(items, sums) {
                var answered = 0
                for pair in layout.cellStart[index]..<layout.cellStart[index + 1] { answered += sums.answered[pair] }
                let suppressed = answered < minimumRespondents || answered == 0
                func add(_ statistic: Estimate.Statistic, _ value: Estimate.Value?) {
                    results.append(Estimate(question: id, row: item.row, statistic: statistic, domain: cell.domain, respondents: answered,
                                            value: suppressed ? nil : value))
                }
                let categories = item.categories.count
                for (position, category) in item.categories.enumerated() {
                    guard !suppressed else {
                        add(.proportion(category: category), nil)
                        continue
                    }
                    let (p, variance) = layout.mean(sums, cell: index, category: position, categories: categories, design: design)
                    add(.proportion(category: category), Self.proportion(p, variance.squareRoot(), t: cell.t, degrees: cell.degrees))
                }
                if item.hasMean {
                    guard !suppressed else {
                        add(.mean, nil)
                        continue
                    }
                    let (mean, variance) = layout.mean(sums, cell: index, category: nil, categories: categories, design: design)
                    add(.mean, Self.mean(mean, variance.squareRoot(), t: cell.t, degrees: cell.degrees))
                }
            }
        }
    }

    /// Estimates for one question in one domain, such as the peer cell of a workplace.
    /// - Parameters:
    ///   - question: The question id.
    ///   - domain: The domain.
    /// - Returns: Per matrix row, the category proportions, then the mean.
    /// - Throws: `EstimationError.unknownQuestion`.
    public func estimates(question: String, domain: Domain) throws(EstimationError) -> [Estimate] {
        if items[question] == nil { throw .unknownQuestion(question) }
        let rows = design.respondents.indices.filter { domain.contains(design.respondents[$0]) }
        var linearization = Linearization(design: design)
        var results: [Estimate] = []
        estimate(question, in: Cell(domain: domain, rows: rows, degrees: design.degreesOfFreedom(rows: rows), level: level), into: &results,
                 using: &linearization)
        return results
    }

    /// The domains of a breakdown with their respondents, in value order.
    func partition(by variables: [String]) throws(EstimationError) -> [(Domain, [Int])] {
        var groups: [[String]: [Int]] = [:]
        for (row, respondent) in design.respondents.enumerated() {
            var key: [String] = []
            for variable in variables {
                guard let value = respondent.variables[variable] else { throw .missingVariable(unit: respondent.unitID, variable: variable) }
                key.append(value)
            }
            groups[key, default: []].append(row)
        }
        return groups.map { (Domain(variables: variables, values: $0.key), $0.value) }.sorted { $0.0 < $1.0 }
    }

    /// A domain with its respondents, degrees of freedom and t quantile, shared by all its questions.
    struct Cell {
        let domain: Domain
        let rows: [Int]
        let degrees: Int
        let t: Double

        init(domain: Domain, rows: [Int], degrees: Int, level: Double) {
            self.domain = domain
            self.rows = rows
            self.degrees = degrees
            t = degrees > 0 ? StudentT.quantile(1 - (1 - level) / 2, degreesOfFreedom: Double(degrees)) : .nan
        }
    }

    func estimate(_ id: String, in cell: Cell, into results: inout [Estimate], using linearization: inout Linearization) {
        let (domain, rows, degrees, t) = (cell.domain, cell.rows, cell.degrees, cell.t)
        var values: [Double] = []
        for item in items[id] ?? [] {
            let answered = rows.filter { item.answered[$0] }
            let suppressed = answered.count < minimumRespondents || answered.isEmpty
            func add(_ statistic: Estimate.Statistic, _ value: Estimate.Value?) {
                results.append(Estimate(question: id, row: item.row, statistic: statistic, domain: domain, respondents: answered.count,
                                        value: suppressed ? nil : value))
            }
            for (index, category) in item.categories.enumerated() {
                guard !suppressed else {
                    add(.proportion(category: category), nil)
                    continue
                }
                values.removeAll(keepingCapacity: true)
                for row in answered { values.append(item.indicator(index, row)) }
                let (p, variance) = linearization.mean(rows: answered, values: values)
                add(.proportion(category: category), Self.proportion(p, variance.squareRoot(), t: t, degrees: degrees))
            }
            if item.hasMean {
                guard !suppressed else {
                    add(.mean, nil)
                    continue
                }
                values.removeAll(keepingCapacity: true)
                for row in answered { values.append(item.value[row]) }
                let (mean, variance) = linearization.mean(rows: answered, values: values)
                add(.mean, Self.mean(mean, variance.squareRoot(), t: t, degrees: degrees))
            }
        }
    }

    /// A mean with its t interval (R: `confint(svymean(…), df = degf(design))`).
    static func mean(_ mean: Double, _ se: Double, t: Double, degrees: Int) -> Estimate.Value {
        Estimate.Value(estimate: mean, standardError: se, lower: t.isNaN ? nil : mean - t * se, upper: t.isNaN ? nil : mean + t * se,
                       degreesOfFreedom: degrees)
    }

    /// The logit interval of a proportion (R: `svyciprop(method = "logit")`, a Wald interval for the
    /// intercept of a quasi-binomial `svyglm`, whose standard error is SE(p)/(p(1−p))).
    static func proportion(_ p: Double, _ se: Double, t: Double, degrees: Int) -> Estimate.Value {
        guard !t.isNaN else { return Estimate.Value(estimate: p, standardError: se, lower: nil, upper: nil, degreesOfFreedom: degrees) }
        guard p > 0 && p < 1 else { return Estimate.Value(estimate: p, standardError: se, lower: p, upper: p, degreesOfFreedom: degrees) }
        let logit = log(p / (1 - p)), spread = t * se / (p * (1 - p))
        return Estimate.Value(estimate: p, standardError: se, lower: 1 / (1 + exp(-(logit - spread))),
                              upper: 1 / (1 + exp(-(logit + spread))), degreesOfFreedom: degrees)
    }
}
