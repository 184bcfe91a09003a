public import Foundation

/// RFC 3339 UTC timestamps with microseconds, the one format coid stores and sends.
///
/// Fixed width, so the text sorts as the time does and SQLite range queries on it are correct.
public enum Timestamp {
    /// The time as "2026-11-23T14:05:09.123456Z".
    /// - Parameter date: The time.
    /// - Returns: Its text.
    public static func string(_ date: Date) -> String {
        // To the nearest microsecond: a Date is a Double, and a parsed "….123457Z" may be stored as
        // ….1234569999; rounding down would print a different instant than the one read.
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        // Floor division, so that instants before 1970 keep a positive fraction.
        let (q, r) = micros.quotientAndRemainder(dividingBy: 1_000_000)
        var seconds = time_t(r < 0 ? q - 1 : q)
        let fraction = Int(r < 0 ? r + 1_000_000 : r)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        // Written digit by digit: every write stamps a row, and String(format:) goes through
        // Foundation's formatter at several microseconds a call.
        return String(unsafeUninitializedCapacity: 27) { buffer in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var value = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            put(Int(parts.tm_year) + 1900, 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(Int(parts.tm_mon) + 1, 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(Int(parts.tm_mday), 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(Int(parts.tm_hour), 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(Int(parts.tm_min), 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(Int(parts.tm_sec), 2, at: 17)
            buffer[19] = UInt8(ascii: ".")
            put(fraction, 6, at: 20)
            buffer[26] = UInt8(ascii: "Z")
            return 27
        }
    }

    /// Now, as text.
    /// - Returns: The current time's text.
    public static func now() -> String { string(Date()) }

    /// Parses RFC 3339 ("2026-11-23", "2026-11-23T14:05:09Z", with fraction or offset).
    /// - Parameter text: The text.
    /// - Returns: The time, or nil when the text is not RFC 3339.
    public static func parse(_ text: String) -> Date? {
        if text.count == 10, let day = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return day }
        // The fraction is read by hand, to the microsecond: Foundation's parser goes through a
        // Double and can land one microsecond short.
        var whole = text
        var micros = 0.0
        if let dot = text.firstIndex(of: "."), text.distance(from: text.startIndex, to: dot) == 19 {
            let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { return nil }
            let padded = String(digits.prefix(6)).padding(toLength: 6, withPad: "0", startingAt: 0)
            micros = Double(Int(padded) ?? 0)
            whole = String(text[..<dot]) + String(text[text.index(dot, offsetBy: digits.count + 1)...])
        }
        guard let date = try? Date(whole, strategy: .iso8601) else { return nil }
        return Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded() + micros / 1_000_000)
    }
}
