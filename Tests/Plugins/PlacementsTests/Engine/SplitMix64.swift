/// SplitMix64 (Steele, Lea, Flood 2014): tests draw from this and never from the system generator,
/// so a failing seed reproduces. `below` and `shuffle` are our own too, because the standard
/// library does not promise that `random(in:using:)` or `shuffled(using:)` draw the same way forever.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<n (the modulo bias is irrelevant at these sizes).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A number in the closed range.
    mutating func between(_ low: Int, _ high: Int) -> Int { low + below(high - low + 1) }

    /// True with probability `numerator / denominator`.
    mutating func chance(_ numerator: Int, in denominator: Int) -> Bool { below(denominator) < numerator }

    /// Fisher–Yates.
    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for index in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(index, below(index + 1)) }
    }

    /// `count` distinct numbers from 0..<n, in random order.
    mutating func sample(_ count: Int, from n: Int) -> [Int] {
        var all = Array(0..<n)
        shuffle(&all)
        return Array(all.prefix(count))
    }
}
