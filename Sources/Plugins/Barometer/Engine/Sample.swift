/// A drawn sample: per stratum, its population and sample sizes and the units drawn.
public struct Sample: Sendable, Equatable {
    /// One stratum of the sample.
    public struct Stratum: Sendable, Equatable {
        public var key: StratumKey
        /// N_h.
        public var populationSize: Int
        /// n_h.
        public var sampleSize: Int
        public var takeAll: Bool
        /// The units drawn, sorted by id (UTF-8 bytes).
        public var unitIDs: [String]
    }

    /// Every stratum of the frame, sampled or not, in key order.
    public var strata: [Stratum]

    /// All units drawn, stratum by stratum.
    public var unitIDs: [String] {
        strata.flatMap(\.unitIDs)
    }

    /// N_h by stratum, as estimation needs it.
    public var populationSizes: [StratumKey: Int] {
        Dictionary(uniqueKeysWithValues: strata.map { ($0.key, $0.populationSize) })
    }
}
