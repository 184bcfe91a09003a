/// xoshiro256** 1.0 (Blackman and Vigna, 2018), the generator behind every random draw of the engine.
///
/// Written out here rather than taken from the system or the standard library so that a seed gives the
/// same sample on every machine and every Swift version: the draw of a wave must be reproducible years
/// later, by anyone holding the frame, the design and the seed.
public struct Xoshiro256StarStar: Sendable {
    var s0: UInt64
    var s1: UInt64
    var s2: UInt64
    var s3: UInt64

    /// Creates a generator whose state is four successive outputs of `SplitMix64(seed:)`.
    /// - Parameter seed: Any 64-bit seed (zero included: SplitMix64 never yields an all-zero state).
    public init(seed: UInt64) {
        var expander = SplitMix64(seed: seed)
        s0 = expander.next()
        s1 = expander.next()
        s2 = expander.next()
        s3 = expander.next()
    }

    /// The next 64 random bits.
    /// - Returns: The next output.
    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    /// A uniform integer in `0..<bound`, by Lemire's multiply-and-reject method (2019): the high word of
    /// `next() × bound`, drawing again while the low word is below `2⁶⁴ mod bound`, so there is no bias.
    /// - Parameter bound: The exclusive upper bound, at least 1.
    /// - Returns: The integer.
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// A uniform double in [0, 1): the top 53 bits over 2⁵³.
    /// - Returns: The double.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
