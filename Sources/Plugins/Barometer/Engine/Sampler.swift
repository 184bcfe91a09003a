/// Draws a stratified simple random sample without replacement, reproducibly.
///
/// The algorithm, exactly, so that anyone can redraw a wave from its frame, design and seed:
/// 1. Sizes n_h come from `Allocator`.
/// 2. Each stratum gets its own generator: `Xoshiro256StarStar(seed: seed ^ FNV-1a-64(key))`, where the
///    FNV-1a hash runs over the UTF-8 bytes of each key value followed by the byte 0x1F. A stratum's
///    draw therefore depends only on the seed, its key, its units and n_h; changing another stratum
///    changes nothing here.
/// 3. The stratum's unit ids are sorted by UTF-8 bytes (the frame's row order does not matter), then a
///    partial Fisher–Yates shuffle runs: for i in 0..<n_h, j = i + `next(below: N_h − i)` (Lemire's
///    unbiased bounded integer), swap positions i and j. The first n_h ids, sorted again, are the sample.
///    A stratum with n_h = N_h is taken whole without drawing.
public enum Sampler {
    /// Draws the sample.
    /// - Parameters:
    ///   - frame: The frame.
    ///   - design: The design.
    /// - Returns: The sample, every stratum of the frame listed.
    /// - Throws: `DesignError` for unknown variables or an allocation that cannot be met.
    public static func draw(_ frame: Frame, _ design: SampleDesign) throws(DesignError) -> Sample {
        let members = try frame.strata(by: design.strata)
        let sizes = try Allocator.allocate(populations: members.mapValues(\.count), design: design)
        var strata: [Sample.Stratum] = []
        for key in members.keys.sorted() {
            var ids = (members[key] ?? []).map { frame.units[$0].id }
            ids.sort(by: ByteOrder.precedes)
            let size = sizes[key] ?? 0
            let drawn = size == ids.count ? ids : choose(size, from: ids, seed: design.seed ^ ByteOrder.fnv1a(key.values))
            strata.append(Sample.Stratum(key: key, populationSize: ids.count, sampleSize: size,
                                         takeAll: design.takeAll.contains(key), unitIDs: drawn))
        }
        return Sample(strata: strata)
    }

    /// Partial Fisher–Yates: `count` of `ids` (already in byte order), returned in byte order.
    static func choose(_ count: Int, from ids: [String], seed: UInt64) -> [String] {
        var ids = ids
        var generator = Xoshiro256StarStar(seed: seed)
        for i in 0..<count {
            let j = i + Int(generator.next(below: UInt64(ids.count - i)))
            ids.swapAt(i, j)
        }
        return ids[..<count].sorted(by: ByteOrder.precedes)
    }
}
