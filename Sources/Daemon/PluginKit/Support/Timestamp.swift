public import Foundation

/// RFC 3339 UTC timestamps with microseconds, the one format coid stores and sends.
///
/// Fixed width, so the text sorts as the time does and SQLite range queries on it are correct.
public enum Timestamp {
    /// The time as "2026-11-23T14:05:09.123456Z".
    /// - Parameter date: The time.
    /// - Returns: Its text.
    public static func string(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
        var seconds = time_t(micros / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let fraction = Int(micros % 1_000_000)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), fraction)
    }

    /// Now, as text.
    /// - Returns: The current time's text.
    public static func now() -> String { string(Date()) }

    /// Parses RFC 3339 ("2026-11-23", "2026-11-23T14:05:09Z", with fraction or offset).
    /// - Parameter text: The text.
    /// - Returns: The time, or nil when the text is not RFC 3339.
    public static func parse(_ text: String) -> Date? {
        if text.count == 10, let day = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return day }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
