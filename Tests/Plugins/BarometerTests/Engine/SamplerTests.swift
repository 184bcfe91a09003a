@testable import COIBarometer
import Testing

@Suite struct SamplerTests {
    /// w01…w30: levels a (12 units), b (10), c (8), listed in a scrambled order.
    static func frame() throws -> Frame {
        let units = (1...30).map { index in
            Frame.Unit(id: "w" + (index < 10 ? "0" : "") + "\(index)", values: [index <= 12 ? "a" : index <= 22 ? "b" : "c", index % 2 == 0 ? "even" : "odd"])
        }
        return try Frame(variables: ["level", "parity"], units: units.enumerated().sorted { ($0.offset * 7) % 30 < ($1.offset * 7) % 30 }.map(\.element))
    }

    @Test func theDrawIsPinned() throws {
        // Computed independently (Python) from the algorithm documented on `Sampler`; must never change.
        let sample = try Sampler.draw(Self.frame(), SampleDesign(strata: ["level"], sampleSize: 9, seed: 7))
        #expect(sample.strata.map(\.unitIDs) == [["w05", "w06", "w07", "w12"], ["w13", "w17", "w20"], ["w28", "w29"]])
        #expect(sample.strata.map(\.populationSize) == [12, 10, 8])
        #expect(sample.unitIDs.count == 9)
    }

    @Test func theFrameOrderDoesNotMatter() throws {
        let frame = try Self.frame()
        let reversed = try Frame(variables: frame.variables, units: frame.units.reversed())
        let design = SampleDesign(strata: ["level", "parity"], sampleSize: 12, seed: 99)
        #expect(try Sampler.draw(frame, design) == Sampler.draw(reversed, design))
    }

    @Test func otherSeedsGiveOtherSamplesOfTheSameSizes() throws {
        let frame = try Self.frame()
        let first = try Sampler.draw(frame, SampleDesign(strata: ["level"], sampleSize: 9, seed: 7))
        let second = try Sampler.draw(frame, SampleDesign(strata: ["level"], sampleSize: 9, seed: 8))
        #expect(first.unitIDs != second.unitIDs)
        #expect(first.strata.map(\.sampleSize) == second.strata.map(\.sampleSize))
    }

    @Test func aStratumsDrawDependsOnlyOnItself() throws {
        let frame = try Self.frame()
        let proportional = try Sampler.draw(frame, SampleDesign(strata: ["level"], sampleSize: 9, seed: 7))
        let fixed = try Sampler.draw(frame, SampleDesign(strata: ["level"], allocation: .fixed([StratumKey(["a"]): 4, StratumKey(["b"]): 7]),
                                                         takeAll: [StratumKey(["c"])], seed: 7))
        #expect(fixed.strata[0].unitIDs == proportional.strata[0].unitIDs)
        #expect(fixed.strata[2].unitIDs.count == 8 && fixed.strata[2].takeAll)
    }

    @Test func unstratifiedDesignsHaveOneStratum() throws {
        let sample = try Sampler.draw(Self.frame(), SampleDesign(strata: [], sampleSize: 5, seed: 1))
        #expect(sample.strata.count == 1 && sample.strata[0].key.description == "(all)")
        #expect(Set(sample.unitIDs).count == 5)
    }

    @Test func errorsNameTheProblem() throws {
        let frame = try Self.frame()
        #expect(throws: DesignError.unknownVariable("sector")) { try Sampler.draw(frame, SampleDesign(strata: ["sector"], sampleSize: 3, seed: 1)) }
        #expect(throws: DesignError.sampleSizeTooLarge(requested: 31, frame: 30)) {
            try Sampler.draw(frame, SampleDesign(strata: ["level"], sampleSize: 31, seed: 1))
        }
        #expect(throws: DesignError.duplicateUnit("x")) {
            try Frame(variables: ["v"], units: [Frame.Unit(id: "x", values: ["1"]), Frame.Unit(id: "x", values: ["2"])])
        }
        #expect(throws: DesignError.valueCount(unit: "x", expected: 1, found: 2)) {
            try Frame(variables: ["v"], units: [Frame.Unit(id: "x", values: ["1", "2"])])
        }
        #expect(DesignError.sampleSizeTooLarge(requested: 31, frame: 30).description == "sample size 31 is larger than the frame (30 units)")
    }
}
