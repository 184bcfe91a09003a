@testable import COIBarometer
import Testing

@Suite struct RandomTests {
    @Test func splitMix64MatchesTheReferenceImplementation() {
        // Vigna's splitmix64.c seeded with 1234567.
        var generator = SplitMix64(seed: 1_234_567)
        #expect([generator.next(), generator.next(), generator.next()] == [0x599E_D017_FB08_FC85, 0x2C73_F084_5854_0FA5, 0x883E_BCE5_A3F2_7C77])
    }

    @Test func xoshiroMatchesTheReferenceImplementation() {
        // Blackman and Vigna's xoshiro256starstar.c, state filled by splitmix64.c seeded with 42.
        var generator = Xoshiro256StarStar(seed: 42)
        let expected: [UInt64] = [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1,
                                  0xFDE6_DC7F_E2EC_5E64]
        #expect((0..<5).map { _ in generator.next() } == expected)
    }

    @Test func boundedIntegersArePinned() {
        // The same values from an independent Python implementation of Lemire's method.
        var generator = Xoshiro256StarStar(seed: 42)
        #expect((0..<10).map { _ in generator.next(below: 10) } == [0, 3, 6, 9, 9, 7, 7, 8, 7, 5])
    }

    @Test func boundedIntegersStayInRangeAndCoverIt() {
        var generator = Xoshiro256StarStar(seed: 7)
        var seen = Set<UInt64>()
        for _ in 0..<1000 {
            let value = generator.next(below: 6)
            #expect(value < 6)
            seen.insert(value)
        }
        #expect(seen.count == 6)
        #expect(generator.next(below: 1) == 0)
    }

    @Test func unitDoublesAreInTheHalfOpenInterval() {
        var generator = Xoshiro256StarStar(seed: 0)
        for _ in 0..<1000 {
            let value = generator.nextUnit()
            #expect(value >= 0 && value < 1)
        }
    }
}
