/// The variance of an estimate on a raked design, from its influence values x, without a pass over all
/// respondents: what makes raked estimates as cheap as unraked ones.
///
/// The residuals `Raking` defines are z = x − B·u, where u = M·Sᵀx: Sᵀx are the level sums of x/w_k,
/// M the linear map of the sweeps (`Raking.coefficients`, applied once per level to build it), and B the
/// respondents × levels matrix holding w_k of each respondent at its level of margin k. The stratified
/// variance is zᵀDz with D = ⊕_h f_h·(I − 11ᵀ/m_h) (no centring for a lonely respondent; f_h the
/// variance factor of `WeightedDesign`), so
///
///   Var = xᵀDx − 2·(BᵀDx)ᵀu + uᵀ(BᵀDB)u,
///
/// where xᵀDx is the unraked variance, BᵀDx needs only the respondents with non-zero x (plus each
/// stratum's column sums of B), and BᵀDB is fixed by the design and computed here once.
struct CalibratedVariance: Sendable {
    /// Levels of all margins, concatenated.
    let width: Int
    /// Per margin, each respondent's index into the concatenated levels.
    let level: [[Int]]
    /// Per margin, each respondent's w_k.
    let stepWeights: [[Double]]
    /// M, row-major: u = M·(level sums).
    let sweep: [Double]
    /// BᵀDB, row-major.
    let quadratic: [Double]
    /// Per stratum, the column sums of B over its respondents (row-major, stratum × level).
    let columnSums: [Double]

    init(raking: Raking, stratumOfRow: [Int], counts: [Int], factors: [Double]) {
        let offsets = raking.offsets
        width = raking.counts.reduce(0) { $0 + $1.count }
        level = raking.levels.indices.map { k in raking.levels[k].map { offsets[k] + $0 } }
        stepWeights = raking.stepWeights
        var sweep = [Double](repeating: 0, count: width * width)
        for column in 0..<width {
            var unit = [Double](repeating: 0, count: width)
            unit[column] = 1
            for (row, value) in raking.coefficients(sums: unit).enumerated() { sweep[row * width + column] = value }
        }
        self.sweep = sweep
        var columnSums = [Double](repeating: 0, count: counts.count * width)
        var quadratic = [Double](repeating: 0, count: width * width)
        for row in stratumOfRow.indices {
            let stratum = stratumOfRow[row], factor = factors[stratum]
            for k in level.indices {
                columnSums[stratum * width + level[k][row]] += stepWeights[k][row]
                for l in level.indices {
                    quadratic[level[k][row] * width + level[l][row]] += factor * stepWeights[k][row] * stepWeights[l][row]
                }
            }
        }
        for stratum in counts.indices where counts[stratum] > 1 && factors[stratum] > 0 {
            let scale = factors[stratum] / Double(counts[stratum]), base = stratum * width
            for g in 0..<width where columnSums[base + g] != 0 {
                for h in 0..<width { quadratic[g * width + h] -= scale * columnSums[base + g] * columnSums[base + h] }
            }
        }
        self.columnSums = columnSums
        self.quadratic = quadratic
    }

    /// The raked variance.
    /// - Parameters:
    ///   - rows: The respondents with non-zero influence.
    ///   - values: Their influence values.
    ///   - plain: xᵀDx, the variance as if unraked.
    ///   - design: The design (strata, counts, factors).
    ///   - strataSums: Σ x per stratum touched, as (stratum, sum) pairs.
    /// - Returns: The variance.
    func variance(rows: [Int], values: [Double], plain: Double, design: WeightedDesign, strataSums: [(Int, Double)]) -> Double {
        var levelSums = [Double](repeating: 0, count: width)
        var cross = [Double](repeating: 0, count: width)
        for (row, value) in zip(rows, values) {
            let factor = design.varianceFactor[design.stratumOfRow[row]]
            for k in level.indices {
                levelSums[level[k][row]] += value / stepWeights[k][row]
                cross[level[k][row]] += factor * stepWeights[k][row] * value
            }
        }
        for (stratum, sum) in strataSums where design.respondentsPerStratum[stratum] > 1 {
            let scale = design.varianceFactor[stratum] * sum / Double(design.respondentsPerStratum[stratum]), base = stratum * width
            for g in 0..<width { cross[g] -= scale * columnSums[base + g] }
        }
        var u = [Double](repeating: 0, count: width)
        for g in 0..<width {
            var sum = 0.0
            for h in 0..<width { sum += sweep[g * width + h] * levelSums[h] }
            u[g] = sum
        }
        var linear = 0.0, quadraticForm = 0.0
        for g in 0..<width {
            linear += cross[g] * u[g]
            var sum = 0.0
            for h in 0..<width { sum += quadratic[g * width + h] * u[h] }
            quadraticForm += u[g] * sum
        }
        return plain - 2 * linear + quadraticForm
    }
}
