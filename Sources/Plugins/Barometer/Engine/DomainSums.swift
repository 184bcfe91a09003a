/// Every domain of a request estimated in one pass over the respondents per item (unraked designs).
///
/// The variance of `Linearization` needs, per domain and stratum h, only sums over the domain's
/// answerers in h. With z_i = w_i(x_i − x̄)/W for those answerers (W = Σw, x̄ the domain's estimate)
/// and zero for h's other respondents:
///
///   Σz  = (A − x̄·B)/W,    Σz² = (C − 2x̄·D + x̄²·E)/W²,
///
/// where B = Σw, E = Σw², A = Σw·x, D = Σw²·x, C = Σw²·x² over the answerers in the domain and
/// stratum. The stratum's term is factor_h·(Σz² − (Σz)²/m_h), or factor_h·Σz² for a lonely
/// respondent (m_h = 1), which is exactly the centred, zero-padded sum `Linearization` takes. So one
/// pass over the respondents, adding each answerer's w, w² and its values to the (domain, stratum)
/// cells it falls in (the overall domain and one per breakdown), gives every domain's estimate and
/// variance; the cost no longer grows with the number of domains times the respondents.
///
/// For an indicator x² = x, so C = D. Means are summed as x − c, c the item's unweighted mean over all
/// answerers: the mean and variance are unchanged by the shift, and the expanded squares above then
/// lose no precision to cancellation. A proportion of 0 or 1 gives variance exactly 0, as before.
struct DomainSums {
    /// Per respondent, the (domain, stratum) pairs it falls in: `pairs[rowStart[i]..<rowStart[i + 1]]`.
    let rowStart: [Int]
    let pairs: [Int]
    /// Per domain (cell), its pairs: `cellStart[c]..<cellStart[c + 1]`, pairs numbered cell by cell.
    let cellStart: [Int]
    /// Per pair, its stratum.
    let stratumOfPair: [Int]

    /// Lays out the pairs of a request's domains.
    /// - Parameters:
    ///   - design: The design.
    ///   - cells: Per domain, its respondents.
    init(design: WeightedDesign, cells: [[Int]]) {
        let strata = design.stratumOfRow
        var pairOf = [Int](repeating: -1, count: design.strata.count)
        var perRow = [[Int]](repeating: [], count: strata.count)
        var cellStart: [Int] = [0], stratumOfPair: [Int] = []
        for rows in cells {
            var used: [Int] = []
            for row in rows {
                let stratum = strata[row]
                if pairOf[stratum] < 0 {
                    pairOf[stratum] = stratumOfPair.count
                    stratumOfPair.append(stratum)
                    used.append(stratum)
                }
                perRow[row].append(pairOf[stratum])
            }
            for stratum in used { pairOf[stratum] = -1 }
            cellStart.append(stratumOfPair.count)
        }
        var rowStart: [Int] = [0], pairs: [Int] = []
        rowStart.reserveCapacity(perRow.count + 1)
        for list in perRow {
            pairs += list
            rowStart.append(pairs.count)
        }
        self.rowStart = rowStart
        self.pairs = pairs
        self.cellStart = cellStart
        self.stratumOfPair = stratumOfPair
    }

    /// The sums of one item, per pair.
    struct Sums {
        var answered: [Int]
        var weight: [Double]           // B
        var weightSquared: [Double]    // E
        /// Per pair and category (pair-major): A and D of the category's indicator.
        var category: [Double]
        var categorySquared: [Double]
        /// A, D and C of the shifted value.
        var value: [Double]
        var valueSquared: [Double]
        var valueSquaredSquared: [Double]
        var shift: Double
    }

    /// One pass over the item's answerers.
    /// - Parameters:
    ///   - item: The item.
    ///   - weights: The design's weights.
    /// - Returns: Its sums per (domain, stratum) pair.
    func sums(of item: EstimationItem, weights: [Double]) -> Sums {
        let count = stratumOfPair.count, categories = item.categories.count
        var shift = 0.0
        if item.hasMean {
            var total = 0.0, answered = 0
            for row in 0..<weights.count where item.answered[row] {
                total += item.value[row]
                answered += 1
            }
            shift = answered > 0 ? total / Double(answered) : 0
        }
        var sums = Sums(answered: [Int](repeating: 0, count: count), weight: [Double](repeating: 0, count: count),
                        weightSquared: [Double](repeating: 0, count: count),
                        category: [Double](repeating: 0, count: count * categories),
                        categorySquared: [Double](repeating: 0, count: count * categories),
                        value: [Double](repeating: 0, count: item.hasMean ? count : 0),
                        valueSquared: [Double](repeating: 0, count: item.hasMean ? count : 0),
                        valueSquaredSquared: [Double](repeating: 0, count: item.hasMean ? count : 0), shift: shift)
        let multiple = !item.selected.isEmpty
        for row in 0..<weights.count where item.answered[row] {
            let w = weights[row], w2 = w * w
            let chosen = multiple || item.category.isEmpty ? -1 : item.category[row]
            let v = item.hasMean ? item.value[row] - shift : 0
            for position in rowStart[row]..<rowStart[row + 1] {
                let pair = pairs[position]
                sums.answered[pair] += 1
                sums.weight[pair] += w
                sums.weightSquared[pair] += w2
                if multiple {
                    for index in 0..<categories where item.selected[index][row] {
                        sums.category[pair * categories + index] += w
                        sums.categorySquared[pair * categories + index] += w2
                    }
                } else if chosen >= 0 {
                    sums.category[pair * categories + chosen] += w
                    sums.categorySquared[pair * categories + chosen] += w2
                }
                if item.hasMean {
                    sums.value[pair] += w * v
                    sums.valueSquared[pair] += w2 * v
                    sums.valueSquaredSquared[pair] += w2 * v * v
                }
            }
        }
        return sums
    }

    /// A domain's answerers, and the weighted mean and variance of a category's indicator
    /// (`category` its index) or of the value (`category` nil).
    func mean(_ sums: Sums, cell: Int, category: Int?, categories: Int, design: WeightedDesign) -> (estimate: Double, variance: Double) {
        let range = cellStart[cell]..<cellStart[cell + 1]
        var total = 0.0, weighted = 0.0
        for pair in range {
            total += sums.weight[pair]
            weighted += category.map { sums.category[pair * categories + $0] } ?? sums.value[pair]
        }
        let x = weighted / total
        var variance = 0.0
        for pair in range where sums.answered[pair] > 0 {
            let stratum = stratumOfPair[pair]
            let factor = design.varianceFactor[stratum]
            if factor == 0 { continue }
            let a: Double, d: Double, c: Double
            if let category {
                a = sums.category[pair * categories + category]
                d = sums.categorySquared[pair * categories + category]
                c = d
            } else {
                a = sums.value[pair]
                d = sums.valueSquared[pair]
                c = sums.valueSquaredSquared[pair]
            }
            var squares = c - 2 * x * d + x * x * sums.weightSquared[pair]
            let m = design.respondentsPerStratum[stratum]
            if m > 1 {
                let sum = a - x * sums.weight[pair]
                squares -= sum * sum / Double(m)
            }
            variance += factor * squares
        }
        // The expanded squares can come out a rounding error below a true 0.
        return (category == nil ? x + sums.shift : x, max(variance / (total * total), 0))
    }
}
