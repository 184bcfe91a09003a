/// The completed respondents of a wave as a stratified design, weighted and ready for estimation.
///
/// Equivalent in R: `svydesign(ids = ~1, strata = ~stratum, fpc = ~N_h, data = respondents)` with
/// `options(survey.lonely.psu = "adjust")`, then optionally `rake()` to the given margins. Each
/// respondent of stratum h weighs N_h/m_h (m_h: completed respondents in h), which is the design weight
/// N_h/n_h adjusted for non-response within the stratum. Strata without respondents carry no weight:
/// their units are represented by nobody, exactly as in R given only the respondents; raking to
/// population margins is how to bring them back in.
public struct WeightedDesign: Sendable {
    /// The respondents' unit ids, in input order; every per-respondent array below follows it.
    public let unitIDs: [String]
    /// The final weights: N_h/m_h, raked when margins were given.
    public let weights: [Double]
    /// N_h/m_h before raking.
    public let baseWeights: [Double]
    /// The strata that have respondents, in key order.
    public let strata: [StratumKey]
    /// m_h, per stratum of `strata`.
    public let respondentsPerStratum: [Int]
    /// N_h, per stratum of `strata`.
    public let populationPerStratum: [Int]
    /// Raking rounds run (R's `rake` counter) and whether they converged; nil without raking.
    public let rakingRounds: Int?
    public let rakingConverged: Bool?

    let stratumOfRow: [Int]
    /// Per stratum, the variance factor for a stratum with more than one respondent,
    /// (1 − m_h/N_h)·m_h/(m_h − 1), or for a lonely respondent (1 − 1/N_h); 0 once the sampling
    /// fraction is within 1e-7 of 1, as R does.
    let varianceFactor: [Double]
    let respondents: [Respondent]
    let raking: Raking?
    let calibration: CalibratedVariance?

    /// Builds the design.
    /// - Parameters:
    ///   - respondents: The completed respondents (each unit once).
    ///   - populationSizes: N_h by stratum, from the frame (`Frame.populationSizes`, `Sample.populationSizes`).
    ///   - raking: Margins to rake to; empty for none.
    /// - Throws: `EstimationError` for respondents in unknown strata, strata with more respondents
    ///   than units, missing raking variables, or margins that do not fit the respondents.
    public init(respondents: [Respondent], populationSizes: [StratumKey: Int], raking margins: [RakingMargin] = [])
        throws(EstimationError) {
        if respondents.isEmpty { throw .noRespondents }
        var seen: Set<String> = []
        var counts: [StratumKey: Int] = [:]
        for respondent in respondents {
            if !seen.insert(respondent.unitID).inserted { throw .duplicateRespondent(respondent.unitID) }
            if populationSizes[respondent.stratum] == nil { throw .unknownStratum(unit: respondent.unitID, stratum: respondent.stratum) }
            counts[respondent.stratum, default: 0] += 1
        }
        let strata = counts.keys.sorted()
        var index: [StratumKey: Int] = [:]
        for (position, key) in strata.enumerated() {
            index[key] = position
            let population = populationSizes[key] ?? 0
            if counts[key] ?? 0 > population { throw .tooManyRespondents(key, respondents: counts[key] ?? 0, population: population) }
        }
        self.strata = strata
        respondentsPerStratum = strata.map { counts[$0] ?? 0 }
        populationPerStratum = strata.map { populationSizes[$0] ?? 0 }
        varianceFactor = zip(respondentsPerStratum, populationPerStratum).map { m, population in
            let m = Double(m), finite = (Double(population) - m) / Double(population)
            if finite < 1e-7 { return 0 }
            return m > 1 ? finite * m / (m - 1) : finite
        }
        stratumOfRow = respondents.map { index[$0.stratum] ?? 0 }
        unitIDs = respondents.map(\.unitID)
        baseWeights = stratumOfRow.map { Double(populationSizes[strata[$0]] ?? 0) / Double(counts[strata[$0]] ?? 1) }
        self.respondents = respondents

        if margins.isEmpty {
            raking = nil
            calibration = nil
            weights = baseWeights
            rakingRounds = nil
            rakingConverged = nil
            return
        }
        var levels: [[Int]] = []
        var totals: [[Double]] = []
        for margin in margins {
            let (level, total) = try Self.levels(of: margin, respondents)
            levels.append(level)
            totals.append(total)
        }
        let raked = Raking(weights: baseWeights, levels: levels, totals: totals)
        raking = raked
        calibration = CalibratedVariance(raking: raked, stratumOfRow: stratumOfRow, counts: respondentsPerStratum, factors: varianceFactor)
        weights = raked.weights
        rakingRounds = raked.rounds
        rakingConverged = raked.converged
    }

    /// Each respondent's level of a margin's variable and the population total of each level, levels in
    /// byte order. Levels with a zero total and no respondents are dropped, as `postStratify` drops them.
    static func levels(of margin: RakingMargin, _ respondents: [Respondent]) throws(EstimationError) -> ([Int], [Double]) {
        var present: Set<String> = []
        for respondent in respondents {
            guard let value = respondent.variables[margin.variable] else {
                throw .missingVariable(unit: respondent.unitID, variable: margin.variable)
            }
            present.insert(value)
        }
        for value in present.sorted(by: ByteOrder.precedes) where (margin.totals[value] ?? 0) <= 0 {
            throw .levelNotInPopulation(variable: margin.variable, level: value)
        }
        for (value, total) in margin.totals.sorted(by: { ByteOrder.precedes($0.key, $1.key) }) where total > 0 && !present.contains(value) {
            throw .levelWithoutRespondents(variable: margin.variable, level: value)
        }
        let names = present.sorted(by: ByteOrder.precedes)
        var position: [String: Int] = [:]
        for (index, name) in names.enumerated() { position[name] = index }
        return (respondents.map { position[$0.variables[margin.variable] ?? ""] ?? 0 }, names.map { margin.totals[$0] ?? 0 })
    }

    /// The design's degrees of freedom, R's `degf`: respondents minus strata, among the respondents
    /// a (sub)design keeps.
    /// - Parameter rows: The respondents in the (sub)design.
    /// - Returns: The degrees of freedom.
    func degreesOfFreedom(rows: [Int]) -> Int {
        var present = [Bool](repeating: false, count: strata.count)
        var count = 0
        for row in rows where !present[stratumOfRow[row]] {
            present[stratumOfRow[row]] = true
            count += 1
        }
        return rows.count - count
    }
}
