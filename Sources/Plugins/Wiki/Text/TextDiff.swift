/// Line and word diffs between two texts, grouped into hunks with context.
enum TextDiff {
    enum Op: Sendable, Equatable {
        case equal, delete, insert
    }

    struct Line: Sendable, Equatable {
        var op: Op
        var text: String
        /// 1-based line numbers; 0 where the line does not exist on that side.
        var oldLine: Int
        var newLine: Int
    }

    struct Word: Sendable, Equatable {
        var op: Op
        var text: String
    }

    struct Hunk: Sendable, Equatable {
        var oldStart: Int
        var oldCount: Int
        var newStart: Int
        var newCount: Int
        var lines: [Line]
        var words: [Word]
    }

    /// Splits text into lines the way every diff and merge of the wiki does: on "\n" only, so a
    /// final newline is an empty last line and joining with "\n" gives the text back.
    /// - Parameter text: The text.
    /// - Returns: Its lines.
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Every line of both texts in order, marked equal, deleted or inserted.
    /// - Parameters:
    ///   - old: The old lines.
    ///   - new: The new lines.
    /// - Returns: The edit script.
    static func script(_ old: [String], _ new: [String]) -> [Line] {
        var result: [Line] = []
        var i = 0, j = 0
        for (mi, mj) in SequenceDiff.matches(old, new) + [(old.count, new.count)] {
            while i < mi {
                result.append(Line(op: .delete, text: old[i], oldLine: i + 1, newLine: 0))
                i += 1
            }
            while j < mj {
                result.append(Line(op: .insert, text: new[j], oldLine: 0, newLine: j + 1))
                j += 1
            }
            if mi < old.count {
                result.append(Line(op: .equal, text: old[mi], oldLine: mi + 1, newLine: mj + 1))
                i = mi + 1
                j = mj + 1
            }
        }
        return result
    }

    /// The changes between two texts as hunks with `context` unchanged lines around them, each
    /// with a word-level diff of its deleted text against its inserted text.
    /// - Parameters:
    ///   - old: The old text.
    ///   - new: The new text.
    ///   - context: Unchanged lines kept before and after each change.
    /// - Returns: The hunks; empty when the texts are equal.
    static func hunks(_ old: String, _ new: String, context: Int = 3) -> [Hunk] {
        let script = script(lines(old), lines(new))
        let changed = script.indices.filter { script[$0].op != .equal }
        guard !changed.isEmpty else { return [] }
        var ranges: [ClosedRange<Int>] = []
        for index in changed {
            let range = max(0, index - context)...min(script.count - 1, index + context)
            if let last = ranges.last, range.lowerBound <= last.upperBound + 1 {
                ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                ranges.append(range)
            }
        }
        return ranges.map { range in
            let lines = Array(script[range])
            let oldLines = lines.filter { $0.op != .insert }
            let newLines = lines.filter { $0.op != .delete }
            let deleted = lines.filter { $0.op == .delete }.map(\.text).joined(separator: "\n")
            let inserted = lines.filter { $0.op == .insert }.map(\.text).joined(separator: "\n")
            return Hunk(oldStart: oldLines.first?.oldLine ?? firstLine(script, before: range.lowerBound, old: true),
                        oldCount: oldLines.count,
                        newStart: newLines.first?.newLine ?? firstLine(script, before: range.lowerBound, old: false),
                        newCount: newLines.count, lines: lines, words: words(deleted, inserted))
        }
    }

    /// Where an empty side of a hunk sits: after the last line before it (unified-diff convention).
    private static func firstLine(_ script: [Line], before index: Int, old: Bool) -> Int {
        script[..<index].last { old ? $0.op != .insert : $0.op != .delete }.map { old ? $0.oldLine : $0.newLine } ?? 0
    }

    /// A word-level diff: words and the whitespace and punctuation between them are the units.
    /// - Parameters:
    ///   - old: The old text.
    ///   - new: The new text.
    /// - Returns: Runs of equal, deleted and inserted text; adjacent runs of one kind are joined.
    static func words(_ old: String, _ new: String) -> [Word] {
        let a = tokens(old), b = tokens(new)
        var result: [Word] = []
        func add(_ op: Op, _ text: String) {
            if let last = result.last, last.op == op {
                result[result.count - 1].text += text
            } else {
                result.append(Word(op: op, text: text))
            }
        }
        var i = 0, j = 0
        for (mi, mj) in SequenceDiff.matches(a, b) + [(a.count, b.count)] {
            while i < mi { add(.delete, a[i]); i += 1 }
            while j < mj { add(.insert, b[j]); j += 1 }
            if mi < a.count {
                add(.equal, a[mi])
                i = mi + 1
                j = mj + 1
            }
        }
        return result
    }

    /// Splits text into runs of letters or digits, runs of whitespace, and single other characters.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var currentKind = 0
        for character in text {
            let kind = character.isLetter || character.isNumber ? 1 : character.isWhitespace ? 2 : 3
            if kind == currentKind, kind != 3 {
                current.append(character)
            } else {
                if !current.isEmpty { tokens.append(current) }
                current = String(character)
                currentKind = kind
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}
