import Testing
@testable import COIWiki

@Suite struct TextDiffTests {
    @Test func lcsIsMinimal() {
        let a = Array("ABCABBA"), b = Array("CBABAC")
        #expect(SequenceDiff.matches(a, b).count == 4)
        let pairs = SequenceDiff.matches(a, b)
        for (i, j) in pairs { #expect(a[i] == b[j]) }
        #expect(zip(pairs, pairs.dropFirst()).allSatisfy { $0.0 < $1.0 && $0.1 < $1.1 })
    }

    @Test func lineScriptMarksEveryLine() {
        let script = TextDiff.script(["a", "b", "c"], ["a", "x", "c", "d"])
        #expect(script.map(\.op) == [.equal, .delete, .insert, .equal, .insert])
        #expect(script[1] == .init(op: .delete, text: "b", oldLine: 2, newLine: 0))
        #expect(script[4] == .init(op: .insert, text: "d", oldLine: 0, newLine: 4))
    }

    @Test func hunksKeepContextAndSplitFarChanges() {
        let old = (1...20).map { "line \($0)" }.joined(separator: "\n")
        var lines = (1...20).map { "line \($0)" }
        lines[1] = "line two"
        lines[17] = "line eighteen"
        let hunks = TextDiff.hunks(old, lines.joined(separator: "\n"), context: 2)
        #expect(hunks.count == 2)
        #expect(hunks[0].oldStart == 1)
        #expect(hunks[0].oldCount == 4)
        #expect(hunks[1].lines.filter { $0.op == .insert }.map(\.text) == ["line eighteen"])
        #expect(TextDiff.hunks(old, old).isEmpty)
    }

    @Test func wordDiffFindsTheChangedWords() {
        let words = TextDiff.words("Borgerne i Aarhus Kommune", "Borgerne i Århus Kommune og Region")
        #expect(words == [.init(op: .equal, text: "Borgerne i "), .init(op: .delete, text: "Aarhus"), .init(op: .insert, text: "Århus"),
                          .init(op: .equal, text: " Kommune"), .init(op: .insert, text: " og Region")])
    }

    @Test func hunkCarriesWordDiff() {
        let hunk = TextDiff.hunks("a\nDet gamle ord\nb", "a\nDet nye ord\nb")[0]
        #expect(hunk.words.contains(.init(op: .delete, text: "gamle")))
        #expect(hunk.words.contains(.init(op: .insert, text: "nye")))
    }

    @Test func largeRewriteFallsBackToReplacement() {
        let a = (0..<4000).map { "a\($0)" }, b = (0..<4000).map { "b\($0)" }
        #expect(SequenceDiff.matches(a, b).isEmpty)
        let script = TextDiff.script(a, b)
        #expect(script.count == 8000)
    }
}
