/// Line-based three-way merge (diff3): the base a save was edited from, the saver's text, and the
/// latest text. Regions only one side changed take that side; regions both changed the same way
/// take it once; regions both changed differently are conflicts, and the merge fails.
enum ThreeWayMerge {
    /// A region the two sides changed differently.
    struct Conflict: Sendable, Equatable {
        /// Index of the first base line of the region (0-based).
        var baseStart: Int
        var base: [String]
        var ours: [String]
        var theirs: [String]
    }

    enum Outcome: Sendable, Equatable {
        case merged([String])
        case conflicts([Conflict])
    }

    /// Merges line arrays.
    /// - Parameters:
    ///   - base: The common ancestor.
    ///   - ours: The saver's version.
    ///   - theirs: The latest version.
    /// - Returns: The merged lines, or every conflicting region.
    static func merge(base: [String], ours: [String], theirs: [String]) -> Outcome {
        let toOurs = matchMap(base, ours)
        let toTheirs = matchMap(base, theirs)
        var result: [String] = []
        var conflicts: [Conflict] = []
        var o = 0, a = 0, b = 0
        // Emits the region base[o..<nextO], ours[a..<nextA], theirs[b..<nextB].
        func unstable(_ nextO: Int, _ nextA: Int, _ nextB: Int) {
            let baseChunk = Array(base[o..<nextO]), ourChunk = Array(ours[a..<nextA]), theirChunk = Array(theirs[b..<nextB])
            if ourChunk == baseChunk {
                result += theirChunk
            } else if theirChunk == baseChunk || ourChunk == theirChunk {
                result += ourChunk
            } else {
                conflicts.append(Conflict(baseStart: o, base: baseChunk, ours: ourChunk, theirs: theirChunk))
            }
        }
        while o < base.count || a < ours.count || b < theirs.count {
            if o < base.count, toOurs[o] == a, toTheirs[o] == b {
                result.append(base[o])
                o += 1
                a += 1
                b += 1
                continue
            }
            // The next base line both sides still have starts the next stable region.
            var next = o
            while next < base.count, !(toOurs[next] != nil && toTheirs[next] != nil) { next += 1 }
            if next < base.count, let nextA = toOurs[next], let nextB = toTheirs[next] {
                unstable(next, nextA, nextB)
                o = next
                a = nextA
                b = nextB
            } else {
                unstable(base.count, ours.count, theirs.count)
                o = base.count
                a = ours.count
                b = theirs.count
            }
        }
        return conflicts.isEmpty ? .merged(result) : .conflicts(conflicts)
    }

    /// For each base index, the index of the line it is matched to in `other`, if any.
    private static func matchMap(_ base: [String], _ other: [String]) -> [Int?] {
        var map = [Int?](repeating: nil, count: base.count)
        for (i, j) in SequenceDiff.matches(base, other) { map[i] = j }
        return map
    }
}
