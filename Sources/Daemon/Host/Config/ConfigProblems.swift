import COIPluginKit

/// Collects configuration problems instead of stopping at the first, so that one run of
/// `coid config check` (or one failed start) lists everything to fix.
struct ConfigProblems {
    private(set) var list: [ConfigError] = []

    mutating func add(_ problem: ConfigError) { list += problem.all }
    mutating func add(_ problems: [ConfigError]) { for problem in problems { add(problem) } }

    /// Runs `body`, recording its problem if it has one.
    mutating func run(_ body: () throws(ConfigError) -> Void) {
        do { try body() } catch { add(error) }
    }

    /// The value `body` reads, or nil (and its problem recorded) when the value is wrong.
    mutating func take<T>(_ body: () throws(ConfigError) -> T?) -> T? {
        do { return try body() } catch {
            add(error)
            return nil
        }
    }

    /// A sub-table, or an empty one when the key holds something else (that problem is recorded).
    mutating func table(_ reader: inout TableReader, _ key: String) -> TableReader {
        do { return try reader.table(key) } catch {
            add(error)
            return TableReader(table: TOMLTable(), path: reader.path.isEmpty ? key : reader.path + "." + key, file: reader.file)
        }
    }

    /// Throws every problem as one error (the first, with the rest in `more`).
    func throwIfAny() throws(ConfigError) {
        guard var first = list.first else { return }
        first.more = Array(list.dropFirst())
        throw first
    }

    /// The candidate closest to `word` in edit distance (a swap of two neighbours counts as one
    /// edit), if it is close enough to be a likely typo: at most a third of the word's length.
    /// A word of three or more letters that begins a candidate ("warn" for "warning") counts too.
    static func closest(to word: String, among candidates: [String]) -> String? {
        if word.count >= 3, let completed = candidates.filter({ $0.lowercased().hasPrefix(word.lowercased()) && $0 != word })
            .min(by: { $0.count != $1.count ? $0.count < $1.count : $0 < $1 }) {
            return completed
        }
        let limit = max(1, min(3, word.count / 3))
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }.filter { $0.1 <= limit }
        return scored.min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }?.0
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and transpositions.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
