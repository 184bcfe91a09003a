/// The longest common subsequence of two sequences, by Myers' O((N+M)·D) algorithm.
///
/// Every diff, word diff and three-way merge in the wiki starts here. Common prefix and suffix are
/// trimmed first: most edits touch a few lines of a long page, so D stays small.
enum SequenceDiff {
    /// Index pairs (i, j) with `a[i] == b[j]`, increasing in both, forming a longest common subsequence.
    /// - Parameters:
    ///   - a: The old sequence.
    ///   - b: The new sequence.
    /// - Returns: The matched pairs in order.
    static func matches<T: Equatable>(_ a: [T], _ b: [T]) -> [(Int, Int)] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        var pairs = (0..<prefix).map { ($0, $0) }
        let middleA = Array(a[prefix..<(a.count - suffix)])
        let middleB = Array(b[prefix..<(b.count - suffix)])
        pairs += myers(middleA, middleB).map { ($0.0 + prefix, $0.1 + prefix) }
        pairs += (0..<suffix).map { (a.count - suffix + $0, b.count - suffix + $0) }
        return pairs
    }

    /// Edit steps beyond which the search gives up on a minimal diff and reports the middle as
    /// replaced outright: the backtrack keeps O(D²) integers, and a merge that sees a full
    /// replacement conflicts rather than guessing, so the fallback can never lose an update.
    static let maxEditSteps = 3000

    /// Myers' greedy forward search with the band of V used at each step kept for the backtrack.
    private static func myers<T: Equatable>(_ a: [T], _ b: [T]) -> [(Int, Int)] {
        let n = a.count, m = b.count
        if n == 0 || m == 0 { return [] }
        let max = n + m
        let offset = max + 1
        var v = [Int](repeating: 0, count: 2 * max + 3)
        // trace[d] holds v[offset - d - 1 ... offset + d + 1] as it was before step d.
        var trace: [[Int]] = []
        var found = false
        outer: for d in 0...max {
            if d > maxEditSteps { return [] }
            trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n, y >= m {
                    found = true
                    break outer
                }
            }
        }
        precondition(found, "Myers search ends within n + m steps")
        // Walk back through the recorded V arrays, collecting the diagonal (matching) moves.
        var pairs: [(Int, Int)] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let band = trace[d]
            func v(_ k: Int) -> Int { band[k + d + 1] }
            let k = x - y
            let previousK: Int
            if k == -d || (k != d && v(k - 1) < v(k + 1)) {
                previousK = k + 1
            } else {
                previousK = k - 1
            }
            let previousX = d == 0 ? 0 : v(previousK)
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                x -= 1
                y -= 1
                pairs.append((x, y))
            }
            if d > 0 {
                x = previousX
                y = previousY
            }
        }
        return pairs.reversed()
    }
}
