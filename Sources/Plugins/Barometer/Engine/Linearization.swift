/// A weighted mean over some respondents and its variance, as R's `svymean` computes them on a
/// stratified design with a finite population correction and `survey.lonely.psu = "adjust"`.
///
/// With z_i = w_i (x_i − x̄)/Σw for the respondents kept and 0 for the others (R subsets a domain, or
/// drops `NA`s under `na.rm = TRUE`, but keeps each stratum's m_h, so it pads the stratum with zeros:
/// the same thing):
/// Var = Σ_h (1 − m_h/N_h) · m_h/(m_h − 1) · Σ_{i∈h} (z_i − z̄_h)², over all m_h respondents of h;
/// a stratum with a single respondent contributes (1 − 1/N_h) · z_i², uncentred ("adjust": centred at
/// the overall estimate rather than a stratum mean); a stratum sampled completely contributes 0.
/// On a raked design z is replaced by its calibration residuals (`Raking`, `CalibratedVariance`).
/// Scratch space is kept between calls, so an estimate costs passes over its own rows only.
struct Linearization {
    let design: WeightedDesign
    private var sums: [Double]
    private var squares: [Double]
    private var kept: [Int]
    private var touched: [Int]
    private var influence: [Double]
    private var strataSums: [(Int, Double)]

    init(design: WeightedDesign) {
        self.design = design
        sums = [Double](repeating: 0, count: design.strata.count)
        squares = sums
        kept = [Int](repeating: 0, count: design.strata.count)
        touched = []
        influence = []
        strataSums = []
    }

    /// The weighted mean of `values` over `rows` and its variance.
    /// - Parameters:
    ///   - rows: The respondents kept (domain members who answered), each once.
    ///   - values: x for each of `rows`, in the same order.
    /// - Returns: The estimate and its variance.
    mutating func mean(rows: [Int], values: [Double]) -> (estimate: Double, variance: Double) {
        let weights = design.weights
        var total = 0.0, weighted = 0.0
        // Index loops rather than zip: the same work, but zip's generic iterator is many times
        // slower unoptimised, and debug builds are where the tests and benchmarks first run.
        for index in rows.indices {
            total += weights[rows[index]]
            weighted += weights[rows[index]] * values[index]
        }
        let estimate = weighted / total
        influence.removeAll(keepingCapacity: true)
        for index in rows.indices { influence.append(weights[rows[index]] * (values[index] - estimate) / total) }
        let plain = stratifiedVariance(rows: rows, values: influence)
        guard let calibration = design.calibration else { return (estimate, plain) }
        // The closed form subtracts; a variance that is truly 0 may come out a rounding error below it.
        let raked = calibration.variance(rows: rows, values: influence, plain: plain, design: design, strataSums: strataSums)
        return (estimate, max(raked, 0))
    }

    /// Σ_h factor_h · (centred sum of squares of h), the respondents not in `rows` counting as zeros;
    /// leaves each touched stratum's sum in `strataSums`.
    private mutating func stratifiedVariance(rows: [Int], values: [Double]) -> Double {
        let strata = design.stratumOfRow, counts = design.respondentsPerStratum
        for index in rows.indices {
            let stratum = strata[rows[index]]
            if kept[stratum] == 0 { touched.append(stratum) }
            kept[stratum] += 1
            sums[stratum] += values[index]
        }
        for index in rows.indices {
            let stratum = strata[rows[index]], value = values[index]
            let deviation = counts[stratum] > 1 ? value - sums[stratum] / Double(counts[stratum]) : value
            squares[stratum] += deviation * deviation
        }
        var variance = 0.0
        strataSums.removeAll(keepingCapacity: true)
        for stratum in touched {
            let count = Double(counts[stratum]), mean = sums[stratum] / count
            // The stratum's respondents outside `rows` are zeros, each mean² away from the stratum mean.
            let padding = counts[stratum] > 1 ? (count - Double(kept[stratum])) * mean * mean : 0
            variance += design.varianceFactor[stratum] * (squares[stratum] + padding)
            strataSums.append((stratum, sums[stratum]))
            sums[stratum] = 0
            squares[stratum] = 0
            kept[stratum] = 0
        }
        touched.removeAll(keepingCapacity: true)
        return variance
    }
}
