import COINominations
import Testing

@Suite struct ResultsEngineTests {
    static let regions = [1081, 1082, 1083, 1084, 1085]

    func entry(_ id: String, region: Int = 1081, endorsements: Int = 0, at second: Int = 0, nominee: String? = nil) -> ResultsEngine.Entry {
        ResultsEngine.Entry(id: id, regionCode: region, endorsements: endorsements,
                            submittedAt: "2026-03-01T00:00:\(second < 10 ? "0" : "")\(second).000000Z", nomineeKeys: [nominee ?? "\(id)|work"])
    }

    func sheet(_ juror: String, _ nomination: String, _ value: Double) -> ResultsEngine.Sheet {
        ResultsEngine.Sheet(juror: juror, nomination: nomination, value: value)
    }

    func compute(_ entries: [ResultsEngine.Entry], _ sheets: [ResultsEngine.Sheet], normalise: Bool = false,
                 previous: Set<String> = []) -> ResultsEngine.Outcome {
        ResultsEngine.compute(entries: entries, sheets: sheets, regionCodes: Self.regions, normalise: normalise, alternates: 2,
                              previousWinners: previous)
    }

    @Test func weightedMeanUsesTheRubricWeights() {
        #expect(ResultsEngine.weightedMean([5, 3, 4, 2], weights: [1, 2, 1, 1]) == 3.4)
        #expect(ResultsEngine.weightedMean([1, 5], weights: [3, 1]) == 2)
    }

    @Test func ranksByMeanScoreWithWinnerAndAlternates() {
        let entries = ["a", "b", "c", "d"].map { entry($0) }
        let sheets = [sheet("j1", "a", 3), sheet("j2", "a", 3), sheet("j1", "b", 5), sheet("j2", "b", 4),
                      sheet("j1", "c", 2), sheet("j2", "c", 2), sheet("j1", "d", 4), sheet("j2", "d", 4)]
        let region = compute(entries, sheets).regions[0]
        #expect(region.ranking.map(\.id) == ["b", "d", "a", "c"])
        #expect(region.ranking[0].score == 4.5 && region.ranking[0].sheets == 2)
        #expect(region.winner == "b" && region.alternates == ["d", "a"])
    }

    @Test func unscoredNominationsAreNotRanked() {
        let outcome = compute([entry("a"), entry("b")], [sheet("j1", "a", 2)])
        #expect(outcome.regions[0].ranking.map(\.id) == ["a"])
        #expect(outcome.regions[1].ranking.isEmpty && outcome.regions[1].winner == nil)
    }

    @Test func tieBreakTopRanksThenEndorsementsThenSubmissionThenID() {
        // Equal means (4.0); a tops three jurors' sheets, b two.
        let topRanks = compute([entry("a"), entry("b")],
                               [sheet("j1", "a", 5), sheet("j1", "b", 4), sheet("j2", "a", 5), sheet("j2", "b", 4),
                                sheet("j3", "a", 2), sheet("j3", "b", 4), sheet("j4", "a", 4), sheet("j4", "b", 4)]).regions[0]
        #expect(topRanks.ranking.map(\.id) == ["a", "b"])
        #expect(topRanks.ranking.map(\.topRanks) == [3, 2])

        // Equal means and top ranks: endorsements decide.
        let tied = [sheet("j1", "a", 4), sheet("j1", "b", 4)]
        #expect(compute([entry("a", endorsements: 1), entry("b", endorsements: 2)], tied).regions[0].winner == "b")
        // Then the earlier submission.
        #expect(compute([entry("a", at: 9), entry("b", at: 3)], tied).regions[0].winner == "b")
        // Then the id, so the order is total.
        #expect(compute([entry("b"), entry("a")], tied).regions[0].winner == "a")
    }

    @Test func normalisationEvensOutStrictAndLenientJurors() {
        // The lenient juror scores everything high, the strict one low, but they agree on the order
        // within their own sheets: a above b for the strict juror, c above a for the lenient one.
        let entries = [entry("a"), entry("b"), entry("c")]
        let sheets = [sheet("lenient", "a", 4.5), sheet("lenient", "c", 5), sheet("lenient", "b", 4.6),
                      sheet("strict", "a", 3), sheet("strict", "b", 1), sheet("strict", "c", 1.2)]
        let raw = compute(entries, sheets).regions[0]
        let normalised = compute(entries, sheets, normalise: true).regions[0]
        #expect(raw.winner == "a")
        #expect(normalised.ranking.map(\.id) != raw.ranking.map(\.id))
        let z = ResultsEngine.zScores(sheets)
        #expect(abs(z[0..<3].reduce(0, +)) < 1e-9 && abs(z[3..<6].reduce(0, +)) < 1e-9)
        #expect(ResultsEngine.zScores([sheet("same", "a", 3), sheet("same", "b", 3)]) == [0, 0])
    }

    @Test func nobodyWinsTwice() {
        // The same team tops two regions; it wins the first region (by code) only.
        let entries = [entry("a", region: 1081, nominee: "team|x"), entry("b", region: 1081),
                       entry("c", region: 1082, nominee: "team|x"), entry("d", region: 1082)]
        let sheets = [sheet("j", "a", 5), sheet("j", "b", 3), sheet("j", "c", 5), sheet("j", "d", 4)]
        let outcome = compute(entries, sheets)
        #expect(outcome.regions[0].winner == "a")
        #expect(outcome.regions[1].winner == "d")
        #expect(outcome.regions[1].ranking.first { $0.id == "c" }?.excluded == true)
        // A winner of an earlier campaign is passed over too.
        let again = compute(entries, sheets, previous: ["team|x"])
        #expect(again.regions[0].winner == "b" && again.regions[1].winner == "d")
    }

    @Test func nationalWinnerIsTheBestRegionalWinner() {
        let entries = Self.regions.enumerated().flatMap { index, region in
            [entry("w\(index)", region: region), entry("r\(index)", region: region)]
        }
        var sheets: [ResultsEngine.Sheet] = []
        for index in 0..<5 {
            sheets.append(sheet("j", "w\(index)", Double(index) / 2 + 2.5))
            sheets.append(sheet("j", "r\(index)", 1))
        }
        let outcome = compute(entries, sheets)
        #expect(outcome.regions.map(\.winner) == ["w0", "w1", "w2", "w3", "w4"])
        #expect(outcome.nationalWinner == "w4")
    }
}
