/// Raking (iterative proportional fitting) of weights to population margins, and the calibration
/// residuals its standard errors come from, both as R's survey package computes them.
///
/// Weights, as `rake(design, margins, totals)` with its default control (maxit = 10, epsilon = 1):
/// each round post-stratifies to every margin in turn (weights × total/current sum per level); after
/// each round the weighted table crossing all raking variables is compared with the previous round's
/// (the first with the unraked weights) and raking stops once no cell moved by 1 or more, or after 10
/// rounds. The result is what R gives, not a fully converged fit: at most a unit's worth away.
///
/// Standard errors, as R's `svyrecvar` for a design carrying a "raking" post-stratification: the
/// influence values x are replaced by residuals, 10 times over for each margin k in turn,
/// x ← x − w_k · ave(x / w_k, level_k), where w_k are the weights right after margin k's step in the
/// last round and ave the unweighted mean of the level. That is linear in x: the result is
/// x − Σ_k w_k · C_k[level_k], with coefficients C found in level space from the per-level sums of x/w_k
/// (`coefficients(sums:)`, through the fixed `coupling` matrices); `CalibratedVariance` builds on it.
struct Raking: Sendable {
    static let maximumRounds = 10
    static let tolerance = 1.0
    static let residualSweeps = 10

    /// Level of each respondent, per margin.
    let levels: [[Int]]
    /// Respondents per level, per margin.
    let counts: [[Double]]
    /// w_k: the weights after margin k's step in the last round, per margin.
    let stepWeights: [[Double]]
    /// coupling[k][l][g·G_l + h] = Σ over respondents at level g of k and h of l of w_l / w_k.
    let coupling: [[[Double]]]
    /// The raked weights.
    let weights: [Double]
    let rounds: Int
    let converged: Bool

    /// Rakes.
    /// - Parameters:
    ///   - weights: The starting weights.
    ///   - levels: Per margin, each respondent's level.
    ///   - totals: Per margin, the population total of each level.
    init(weights start: [Double], levels: [[Int]], totals: [[Double]]) {
        var weights = start
        var steps: [[Double]] = []
        var previous = Self.crossTable(weights, levels)
        var rounds = 0
        var converged = false
        while rounds < Self.maximumRounds {
            steps = []
            for (margin, level) in levels.enumerated() {
                var sums = [Double](repeating: 0, count: totals[margin].count)
                for (row, group) in level.enumerated() { sums[group] += weights[row] }
                for (row, group) in level.enumerated() { weights[row] *= totals[margin][group] / sums[group] }
                steps.append(weights)
            }
            let table = Self.crossTable(weights, levels)
            let moved = table.keys.reduce(0.0) { max($0, abs((table[$1] ?? 0) - (previous[$1] ?? 0))) }
            if moved < Self.tolerance {
                converged = true
                break
            }
            previous = table
            rounds += 1
        }
        self.levels = levels
        self.counts = zip(levels, totals).map { level, total in
            var counts = [Double](repeating: 0, count: total.count)
            for group in level { counts[group] += 1 }
            return counts
        }
        self.stepWeights = steps
        self.coupling = levels.indices.map { k in
            levels.indices.map { l in
                let width = totals[l].count
                var matrix = [Double](repeating: 0, count: totals[k].count * width)
                for row in start.indices { matrix[levels[k][row] * width + levels[l][row]] += steps[l][row] / steps[k][row] }
                return matrix
            }
        }
        self.weights = weights
        self.rounds = rounds
        self.converged = converged
    }

    /// The weighted count of each combination of levels (only combinations that occur: the others are 0
    /// before and after, so they never move).
    static func crossTable(_ weights: [Double], _ levels: [[Int]]) -> [[Int]: Double] {
        var table: [[Int]: Double] = [:]
        for row in weights.indices { table[levels.map { $0[row] }, default: 0] += weights[row] }
        return table
    }

    /// The sweeps in level space: the coefficients C (margin after margin, concatenated) for the level
    /// sums S0_k[g] = Σ over respondents at level g of margin k of x / w_k.
    /// - Parameter sums: S0, concatenated over margins.
    /// - Returns: C, concatenated over margins.
    func coefficients(sums: [Double]) -> [Double] {
        let offsets = self.offsets
        var coefficients = [Double](repeating: 0, count: sums.count)
        for _ in 0..<Self.residualSweeps {
            for k in levels.indices {
                for g in counts[k].indices {
                    var sum = sums[offsets[k] + g]
                    for l in levels.indices {
                        let width = counts[l].count
                        for h in 0..<width { sum -= coupling[k][l][g * width + h] * coefficients[offsets[l] + h] }
                    }
                    coefficients[offsets[k] + g] += sum / counts[k][g]
                }
            }
        }
        return coefficients
    }

    /// Where each margin's levels start in the concatenated level vectors.
    var offsets: [Int] {
        var offsets: [Int] = [], total = 0
        for count in counts {
            offsets.append(total)
            total += count.count
        }
        return offsets
    }
}
