/// Ranks scored nominations per region and picks the winners; pure, so the rules are testable and
/// the same in the daemon, the tests and the benchmark.
///
/// Rules (docs/nominations.md):
/// 1. A juror's sheet for a nomination is the weighted mean of its criteria (1–5).
/// 2. With normalisation each juror's sheets become z-scores over that juror's sheets
///    ((value − juror mean) / juror standard deviation; 0 when a juror gave every sheet the same value),
///    so a strict and a lenient juror weigh the same.
/// 3. A nomination's score is the mean of its sheets. Nominations without sheets are not ranked.
/// 4. Ranking per region by score, ties broken by: more top ranks (jurors whose best sheet in the
///    region is this nomination), then more endorsements, then earlier submission, then id.
/// 5. Regions in code order: the winner is the best-ranked nomination none of whose nominees has
///    won (in an earlier campaign of the kind, or already in this one); those passed over are marked
///    excluded. The next `alternates` eligible nominations are the alternates.
/// 6. The national winner is the best of the regional winners by the same order.
public enum ResultsEngine {
    /// A nomination that can be ranked.
    public struct Entry: Sendable {
        public var id: String
        public var regionCode: Int
        public var endorsements: Int
        public var submittedAt: String
        /// `TextKey.nominee` of each nominee: "nobody wins twice" compares these.
        public var nomineeKeys: [String]
        /// Creates an entry.
        /// - Parameters:
        ///   - id: The nomination id.
        ///   - regionCode: Its region's code (1081–1085).
        ///   - endorsements: Its endorsements, for the tie-break.
        ///   - submittedAt: Its submission time (`Timestamp` text), for the tie-break.
        ///   - nomineeKeys: `TextKey.nominee` of each nominee.
        public init(id: String, regionCode: Int, endorsements: Int, submittedAt: String, nomineeKeys: [String]) {
            self.id = id
            self.regionCode = regionCode
            self.endorsements = endorsements
            self.submittedAt = submittedAt
            self.nomineeKeys = nomineeKeys
        }
    }

    /// One juror's weighted sheet for one nomination.
    public struct Sheet: Sendable {
        public var juror: String
        public var nomination: String
        public var value: Double
        /// Creates a sheet.
        /// - Parameters:
        ///   - juror: The juror's account id.
        ///   - nomination: The nomination id.
        ///   - value: The sheet's weighted mean.
        public init(juror: String, nomination: String, value: Double) {
            self.juror = juror
            self.nomination = nomination
            self.value = value
        }
    }

    /// A nomination's place in its region.
    public struct Ranked: Sendable, Equatable {
        public var id: String
        public var score: Double
        public var sheets: Int
        public var topRanks: Int
        public var endorsements: Int
        public var submittedAt: String
        public var excluded = false
        /// Creates a ranked nomination.
        /// - Parameters:
        ///   - id: The nomination id.
        ///   - score: Its mean sheet value.
        ///   - sheets: How many sheets it has.
        ///   - topRanks: Jurors whose best value in the region went to it.
        ///   - endorsements: Its endorsements.
        ///   - submittedAt: Its submission time.
        public init(id: String, score: Double, sheets: Int, topRanks: Int, endorsements: Int, submittedAt: String) {
            self.id = id
            self.score = score
            self.sheets = sheets
            self.topRanks = topRanks
            self.endorsements = endorsements
            self.submittedAt = submittedAt
        }
    }

    /// One region's outcome.
    public struct RegionOutcome: Sendable, Equatable {
        public var regionCode: Int
        public var ranking: [Ranked]
        public var winner: String?
        public var alternates: [String]
    }

    /// The whole outcome.
    public struct Outcome: Sendable, Equatable {
        public var regions: [RegionOutcome]
        public var nationalWinner: String?
    }

    /// Computes the outcome.
    /// - Parameters:
    ///   - entries: The nominations that may be ranked (shortlisted).
    ///   - sheets: Every juror's sheet; sheets for other nominations are ignored.
    ///   - regionCodes: The regions to report, in order (all five, even if empty).
    ///   - normalise: Whether to use per-juror z-scores.
    ///   - alternates: How many alternates per region.
    ///   - previousWinners: Nominee keys that have already won.
    /// - Returns: The outcome.
    public static func compute(entries: [Entry], sheets: [Sheet], regionCodes: [Int], normalise: Bool, alternates: Int,
                               previousWinners: Set<String>) -> Outcome {
        var index: [String: Int] = [:]
        index.reserveCapacity(entries.count)
        for (position, entry) in entries.enumerated() { index[entry.id] = position }
        let usable = sheets.filter { index[$0.nomination] != nil }
        let values = normalise ? zScores(usable) : usable.map(\.value)

        var sums = [Double](repeating: 0, count: entries.count)
        var counts = [Int](repeating: 0, count: entries.count)
        // The best value each juror gave in each region, then who reached it.
        var best: [JurorRegion: Double] = [:]
        for (sheet, value) in zip(usable, values) {
            let position = index[sheet.nomination]!
            sums[position] += value
            counts[position] += 1
            let key = JurorRegion(juror: sheet.juror, region: entries[position].regionCode)
            best[key] = max(best[key] ?? -.infinity, value)
        }
        var topRanks = [Int](repeating: 0, count: entries.count)
        for (sheet, value) in zip(usable, values) {
            let position = index[sheet.nomination]!
            if value == best[JurorRegion(juror: sheet.juror, region: entries[position].regionCode)] { topRanks[position] += 1 }
        }

        var won = previousWinners
        var regions: [RegionOutcome] = []
        var winners: [Ranked] = []
        for code in regionCodes {
            var ranking = entries.indices.filter { entries[$0].regionCode == code && counts[$0] > 0 }.map { position in
                let entry = entries[position]
                return Ranked(id: entry.id, score: sums[position] / Double(counts[position]), sheets: counts[position],
                              topRanks: topRanks[position], endorsements: entry.endorsements, submittedAt: entry.submittedAt)
            }
            ranking.sort(by: precedes)
            var winner: String?
            var chosen: [String] = []
            for place in ranking.indices {
                let keys = entries[index[ranking[place].id]!].nomineeKeys
                if !won.isDisjoint(with: keys) {
                    ranking[place].excluded = true
                    continue
                }
                if winner == nil {
                    winner = ranking[place].id
                    won.formUnion(keys)
                    winners.append(ranking[place])
                } else if chosen.count < alternates {
                    chosen.append(ranking[place].id)
                }
            }
            regions.append(RegionOutcome(regionCode: code, ranking: ranking, winner: winner, alternates: chosen))
        }
        return Outcome(regions: regions, nationalWinner: winners.sorted(by: precedes).first?.id)
    }

    /// The documented order: score, top ranks, endorsements (higher first), submission (earlier first), id.
    /// - Parameters:
    ///   - lhs: One nomination.
    ///   - rhs: Another.
    /// - Returns: Whether `lhs` ranks above `rhs`.
    public static func precedes(_ lhs: Ranked, _ rhs: Ranked) -> Bool {
        if lhs.score != rhs.score { return lhs.score > rhs.score }
        if lhs.topRanks != rhs.topRanks { return lhs.topRanks > rhs.topRanks }
        if lhs.endorsements != rhs.endorsements { return lhs.endorsements > rhs.endorsements }
        if lhs.submittedAt != rhs.submittedAt { return lhs.submittedAt < rhs.submittedAt }
        return lhs.id < rhs.id
    }

    /// A sheet's weighted mean.
    /// - Parameters:
    ///   - scores: One score per criterion.
    ///   - weights: The criteria's weights, same order and count.
    /// - Returns: Σ weight × score / Σ weight.
    public static func weightedMean(_ scores: [Int], weights: [Double]) -> Double {
        let total = weights.reduce(0, +)
        return zip(scores, weights).reduce(0) { $0 + Double($1.0) * $1.1 } / total
    }

    /// Each sheet's value as a z-score among its juror's sheets.
    /// - Parameter sheets: The sheets.
    /// - Returns: The z-scores, in the sheets' order.
    public static func zScores(_ sheets: [Sheet]) -> [Double] {
        var totals: [String: (sum: Double, squares: Double, count: Double)] = [:]
        for sheet in sheets {
            totals[sheet.juror, default: (0, 0, 0)].sum += sheet.value
            totals[sheet.juror, default: (0, 0, 0)].squares += sheet.value * sheet.value
            totals[sheet.juror, default: (0, 0, 0)].count += 1
        }
        var moments: [String: (mean: Double, deviation: Double)] = [:]
        for (juror, total) in totals {
            let mean = total.sum / total.count
            let variance = max(0, total.squares / total.count - mean * mean)
            moments[juror] = (mean, variance.squareRoot())
        }
        return sheets.map { sheet in
            let moment = moments[sheet.juror]!
            // A deviation within rounding of zero means the juror gave every sheet the same value.
            return moment.deviation < 1e-9 ? 0 : (sheet.value - moment.mean) / moment.deviation
        }
    }

    private struct JurorRegion: Hashable {
        var juror: String
        var region: Int
    }
}
