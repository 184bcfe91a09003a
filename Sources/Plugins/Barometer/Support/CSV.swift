import Foundation

/// Writes RFC 4180 CSV: fields separated by commas, records ended by CRLF, a field quoted when it
/// holds a comma, a quote, CR or LF, and quotes inside doubled.
enum CSV {
    /// One record.
    /// - Parameter fields: The fields.
    /// - Returns: The record with its CRLF.
    static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// One field, quoted when needed.
    /// - Parameter value: The value.
    /// - Returns: The field as written.
    static func field(_ value: String) -> String {
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
