@testable import COIBarometer
import Testing

@Suite struct AllocatorTests {
    func key(_ value: String) -> StratumKey { StratumKey([value]) }

    func allocate(_ populations: [String: Int], _ allocation: SampleDesign.Allocation = .proportional, n: Int? = nil, minimum: Int = 0,
                  takeAll: Set<String> = []) throws(DesignError) -> [String: Int] {
        let design = SampleDesign(strata: ["s"], allocation: allocation, sampleSize: n, minimumPerStratum: minimum,
                                  takeAll: Set(takeAll.map(key)), seed: 1)
        let sizes = try Allocator.allocate(populations: Dictionary(uniqueKeysWithValues: populations.map { (key($0.key), $0.value) }),
                                           design: design)
        return Dictionary(uniqueKeysWithValues: sizes.map { ($0.key.values[0], $0.value) })
    }

    @Test func proportionalRoundsByLargestRemainderToExactlyN() throws {
        // Quotas 3.6, 3.0, 2.4: floors 3, 3, 2 and the one left over to the largest remainder (a).
        #expect(try allocate(["a": 12, "b": 10, "c": 8], n: 9) == ["a": 4, "b": 3, "c": 2])
        // 100 units over 7 equal strata of 10: 1 each, plus the 2 left to the first keys (ties in key order).
        let sizes = try allocate(Dictionary(uniqueKeysWithValues: (0..<7).map { ("s\($0)", 10) }), n: 9)
        #expect(sizes.values.reduce(0, +) == 9)
        #expect(sizes["s0"] == 2 && sizes["s1"] == 2 && sizes["s2"] == 1)
    }

    @Test func equalAllocationCapsSmallStrataAndPassesTheirShareOn() throws {
        // 30 over 3 is 10 each, but b has 4 units: it gets 4 and a and c share 26.
        #expect(try allocate(["a": 50, "b": 4, "c": 50], .equal, n: 30) == ["a": 13, "b": 4, "c": 13])
    }

    @Test func minimumRaisesSmallStrataAndTheRestIsRebalanced() throws {
        // Proportional quotas 18.2, 0.9, 0.9; c and b are raised to 3, a gets 14.
        #expect(try allocate(["a": 1000, "b": 50, "c": 50], n: 20, minimum: 3) == ["a": 14, "b": 3, "c": 3])
        // The minimum is capped by the stratum's size.
        #expect(try allocate(["a": 1000, "b": 2], n: 20, minimum: 3) == ["a": 18, "b": 2])
    }

    @Test func takeAllStrataAreComplete() throws {
        #expect(try allocate(["big": 5, "a": 100, "b": 100], n: 25, takeAll: ["big"]) == ["big": 5, "a": 10, "b": 10])
    }

    @Test func fixedAllocationUsesTheGivenSizes() throws {
        let fixed: [StratumKey: Int] = [key("a"): 3, key("b"): 1]
        #expect(try allocate(["a": 10, "b": 10, "c": 4], .fixed(fixed), minimum: 2, takeAll: ["c"]) == ["a": 3, "b": 2, "c": 4])
    }

    @Test func impossibleDesignsAreRefused() {
        #expect(throws: DesignError.sampleSizeTooLarge(requested: 31, frame: 30)) { try allocate(["a": 20, "b": 10], n: 31) }
        #expect(throws: DesignError.missingSampleSize) { try allocate(["a": 20]) }
        #expect(throws: DesignError.invalidSampleSize(0)) { try allocate(["a": 20], n: 0) }
        #expect(throws: DesignError.takeAllExceedsSample(takeAll: 20, sampleSize: 5)) { try allocate(["a": 20, "b": 5], n: 5, takeAll: ["a"]) }
        #expect(throws: DesignError.minimumTooLarge(needed: 15, available: 10)) { try allocate(["a": 20, "b": 20, "c": 20], n: 10, minimum: 5) }
        #expect(throws: DesignError.unknownStratum(key("x"))) { try allocate(["a": 20], n: 5, takeAll: ["x"]) }
        #expect(throws: DesignError.missingFixedSize(key("b"))) { try allocate(["a": 20, "b": 5], .fixed([key("a"): 2])) }
        #expect(throws: DesignError.fixedSizeTooLarge(key("b"), requested: 6, population: 5)) {
            try allocate(["a": 20, "b": 5], .fixed([key("a"): 2, key("b"): 6]))
        }
    }
}
