import COIPluginKit
import Foundation
import Testing

/// The hand-written formatter against the `String(format:)` one it replaced.
@Suite struct TimestampTests {
    static func reference(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = time_t(micros / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(micros % 1_000_000))
    }

    @Test func matchesTheReferenceAndRoundTrips() throws {
        var generator = SystemRandomNumberGenerator()
        let fixed = [0, 1, 951_782_400.5, 1_795_392_000.000_001, 4_102_444_799.999_999, 253_402_300_799]
        let random = (0..<2_000).map { _ in Double.random(in: 0..<4_102_444_800, using: &generator) }
        for seconds in fixed + random {
            let date = Date(timeIntervalSince1970: seconds)
            let text = Timestamp.string(date)
            #expect(text == Self.reference(date), "\(seconds)")
            let parsed = try #require(Timestamp.parse(text))
            #expect(Timestamp.string(parsed) == text)
        }
        #expect(Timestamp.string(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
    }

    @Test func parsesRFC3339Forms() throws {
        #expect(Timestamp.parse("2026-11-23").map(Timestamp.string) == "2026-11-23T00:00:00.000000Z")
        #expect(Timestamp.parse("2026-11-23T14:05:09Z").map(Timestamp.string) == "2026-11-23T14:05:09.000000Z")
        #expect(Timestamp.parse("2026-11-23T14:05:09.5Z").map(Timestamp.string) == "2026-11-23T14:05:09.500000Z")
        #expect(Timestamp.parse("2026-11-23T14:05:09.1234567Z").map(Timestamp.string) == "2026-11-23T14:05:09.123456Z")
        #expect(Timestamp.parse("2026-11-23T15:05:09.000001+01:00").map(Timestamp.string) == "2026-11-23T14:05:09.000001Z")
        #expect(Timestamp.parse("2026-11-23T14:05:09.Z") == nil)
        #expect(Timestamp.parse("yesterday") == nil)
        #expect(Timestamp.parse("2026-13-01T00:00:00Z") == nil)
    }

    @Test func beforeTheEpochTheFractionStaysPositive() {
        #expect(Timestamp.string(Date(timeIntervalSince1970: -0.25)) == "1969-12-31T23:59:59.750000Z")
    }
}
