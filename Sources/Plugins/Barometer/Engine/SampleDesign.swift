/// How a wave's sample is drawn from the frame: strata, allocation, take-all strata, size and seed.
public struct SampleDesign: Sendable, Equatable {
    /// How the sample size is shared among strata (see `Allocator` for the exact rule).
    public enum Allocation: Sendable, Equatable {
        /// n·N_h/N, rounded by largest remainder so the sizes add up to n exactly.
        case proportional
        /// The same size in every stratum, rounded the same way.
        case equal
        /// Given sizes; every stratum that is not take-all must have one.
        case fixed([StratumKey: Int])
    }

    /// The frame variables whose combined values form the strata; empty for an unstratified sample.
    public var strata: [String]
    public var allocation: Allocation
    /// The total sample size n, take-all strata included. Needed by proportional and equal allocation;
    /// ignored by fixed allocation, whose total is the sum of its sizes.
    public var sampleSize: Int?
    /// Every stratum gets at least min(this, N_h) units.
    public var minimumPerStratum: Int
    /// Strata sampled completely (n_h = N_h), such as the largest workplaces.
    public var takeAll: Set<StratumKey>
    public var seed: UInt64

    /// Creates a design.
    /// - Parameters:
    ///   - strata: The stratification variables.
    ///   - allocation: How n is shared.
    ///   - sampleSize: The total size (proportional and equal allocation).
    ///   - minimumPerStratum: The least any stratum gets (capped by its size).
    ///   - takeAll: Strata taken completely.
    ///   - seed: The seed of the draw.
    public init(strata: [String], allocation: Allocation = .proportional, sampleSize: Int? = nil, minimumPerStratum: Int = 0,
                takeAll: Set<StratumKey> = [], seed: UInt64) {
        self.strata = strata
        self.allocation = allocation
        self.sampleSize = sampleSize
        self.minimumPerStratum = minimumPerStratum
        self.takeAll = takeAll
        self.seed = seed
    }
}
