import Testing
@testable import COIWiki

@Suite struct ThreeWayMergeTests {
    let base = ["# Aarhus", "", "Line one", "Line two", "Line three", "Line four", "Line five"]

    @Test func changesInDifferentPlacesMerge() {
        var ours = base
        ours[2] = "Line one, edited by us"
        var theirs = base
        theirs[6] = "Line five, edited by them"
        theirs.append("A line they added")
        let outcome = ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs)
        #expect(outcome == .merged(["# Aarhus", "", "Line one, edited by us", "Line two", "Line three", "Line four",
                                    "Line five, edited by them", "A line they added"]))
    }

    @Test func identicalChangesOnBothSidesMergeOnce() {
        var ours = base
        ours[3] = "Same fix"
        var theirs = base
        theirs[3] = "Same fix"
        #expect(ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs) == .merged(ours))
    }

    @Test func differentChangesToTheSameLineConflict() {
        var ours = base
        ours[3] = "Ours"
        var theirs = base
        theirs[3] = "Theirs"
        let outcome = ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs)
        #expect(outcome == .conflicts([.init(baseStart: 3, base: ["Line two"], ours: ["Ours"], theirs: ["Theirs"])]))
    }

    @Test func insertionsAtTheSamePlaceConflictUnlessEqual() {
        let ours = base + ["ours at the end"]
        let theirs = base + ["theirs at the end"]
        guard case .conflicts(let conflicts) = ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs) else {
            Issue.record("expected a conflict")
            return
        }
        #expect(conflicts.first?.ours == ["ours at the end"])
        #expect(conflicts.first?.theirs == ["theirs at the end"])
    }

    @Test func deletionBesideAnEditMerges() {
        var ours = base
        ours.remove(at: 4)
        var theirs = base
        theirs[2] = "Edited one"
        #expect(ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs)
                == .merged(["# Aarhus", "", "Edited one", "Line two", "Line four", "Line five"]))
    }

    @Test func unchangedSideTakesTheOther() {
        let theirs = ["entirely", "new"]
        #expect(ThreeWayMerge.merge(base: base, ours: base, theirs: theirs) == .merged(theirs))
        #expect(ThreeWayMerge.merge(base: base, ours: theirs, theirs: base) == .merged(theirs))
    }

    @Test func emptyBase() {
        #expect(ThreeWayMerge.merge(base: [], ours: ["a"], theirs: []) == .merged(["a"]))
        if case .merged = ThreeWayMerge.merge(base: [], ours: ["a"], theirs: ["b"]) { Issue.record("must conflict") }
    }
}
