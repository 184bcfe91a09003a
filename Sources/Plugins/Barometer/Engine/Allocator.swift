/// Shares a sample size among strata.
///
/// The rule, exactly (sizes are integers; every comparison is done in exact integer arithmetic, so no
/// rounding differs between machines):
/// 1. Take-all strata get n_h = N_h. The rest, n' = n − Σ take-all N_h, goes to the other ("free") strata.
/// 2. Fixed allocation: each free stratum gets its given size, raised to min(minimum, N_h). Done.
/// 3. Otherwise each free stratum has a share s_h (N_h for proportional, 1 for equal) and, with R the
///    units not yet placed and S the shares of the strata not yet placed, the quota q_h = R·s_h/S.
///    Repeat until nothing changes:
///    a. if some quotas exceed N_h, those strata get N_h and leave the free set (their surplus goes
///       to the others in the next round);
///    b. else if some quotas are below min(minimum, N_h), those strata get min(minimum, N_h) and
///       leave the free set (the others pay for it in the next round).
/// 4. The strata left get ⌊q_h⌋, and the R − Σ⌊q_h⌋ units left over go one each to the strata with the
///    largest remainders (R·s_h mod S), ties to the stratum whose key sorts first (`StratumKey` order).
public enum Allocator {
    /// Computes n_h for every stratum.
    /// - Parameters:
    ///   - populations: N_h by stratum.
    ///   - design: The design (allocation, size, minimum, take-all strata).
    /// - Returns: n_h by stratum (every stratum of `populations`, possibly 0).
    /// - Throws: `DesignError` when the design cannot be met.
    public static func allocate(populations: [StratumKey: Int], design: SampleDesign) throws(DesignError) -> [StratumKey: Int] {
        for key in design.takeAll where populations[key] == nil { throw .unknownStratum(key) }
        let keys = populations.keys.sorted()
        var sizes: [StratumKey: Int] = [:]
        for key in keys where design.takeAll.contains(key) { sizes[key] = populations[key] }
        let free = keys.filter { !design.takeAll.contains($0) }
        let floor = { (key: StratumKey) in min(max(design.minimumPerStratum, 0), populations[key] ?? 0) }

        if case .fixed(let fixed) = design.allocation {
            for key in fixed.keys where populations[key] == nil { throw .unknownStratum(key) }
            for key in free {
                guard let size = fixed[key] else { throw .missingFixedSize(key) }
                let population = populations[key] ?? 0
                if size < 0 { throw .invalidSampleSize(size) }
                if size > population { throw .fixedSizeTooLarge(key, requested: size, population: population) }
                sizes[key] = max(size, floor(key))
            }
            return sizes
        }

        guard let total = design.sampleSize else { throw .missingSampleSize }
        if total < 1 { throw .invalidSampleSize(total) }
        let frameSize = populations.values.reduce(0, +)
        if total > frameSize { throw .sampleSizeTooLarge(requested: total, frame: frameSize) }
        let takeAll = sizes.values.reduce(0, +)
        if takeAll > total { throw .takeAllExceedsSample(takeAll: takeAll, sampleSize: total) }
        let minimums = free.reduce(0) { $0 + floor($1) }
        if minimums > total - takeAll { throw .minimumTooLarge(needed: minimums, available: total - takeAll) }

        let share = { (key: StratumKey) in design.allocation == .equal ? 1 : populations[key] ?? 0 }
        var open = free
        var remaining = total - takeAll
        while !open.isEmpty {
            let shares = open.reduce(0) { $0 + share($1) }
            // Quotas are compared as the fractions remaining·s_h/shares, cross-multiplied.
            let over = open.filter { remaining * share($0) > (populations[$0] ?? 0) * shares }
            let placed = !over.isEmpty ? over : open.filter { remaining * share($0) < floor($0) * shares }
            if placed.isEmpty { break }
            for key in placed {
                let size = over.isEmpty ? floor(key) : populations[key] ?? 0
                sizes[key] = size
                remaining -= size
            }
            open.removeAll { placed.contains($0) }
            if remaining < 0 { throw .minimumTooLarge(needed: total - takeAll - remaining, available: total - takeAll) }
        }
        guard !open.isEmpty else { return sizes }

        let shares = open.reduce(0) { $0 + share($1) }
        var leftOver = remaining
        var remainders: [(key: StratumKey, remainder: Int)] = []
        for key in open {
            let quota = remaining * share(key)
            sizes[key] = quota / shares
            leftOver -= quota / shares
            remainders.append((key, quota % shares))
        }
        // A stable sort keeps key order among equal remainders.
        let ranked = remainders.enumerated().sorted { a, b in
            a.element.remainder != b.element.remainder ? a.element.remainder > b.element.remainder : a.offset < b.offset
        }
        for entry in ranked.prefix(leftOver) { sizes[entry.element.key, default: 0] += 1 }
        return sizes
    }
}
