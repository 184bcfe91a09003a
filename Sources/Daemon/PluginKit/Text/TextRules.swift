import COIWire
import Foundation

/// The text rules every plugin applies to what people type, kept here once so a title means the
/// same in the wiki and in nominations.
///
/// Three kinds of field:
/// - **Names** (page titles, campaign titles, people's names): normalised to NFC and refusing
///   control characters and every Unicode format character (zero-width spaces and joiners, the
///   bidirectional embeddings, overrides and isolates, soft hyphens, the byte-order mark). Those are
///   invisible, so without this rule two pages could look identical and be different pages, or a
///   name could render backwards.
/// - **Lines** (summaries, reasons, short labels): refusing control characters (newlines, tabs,
///   ESC and so every terminal escape sequence), line and paragraph separators and bidirectional
///   controls, so a one-line field stays one line and cannot reorder what is printed after it.
/// - **Text** (page text, ideas, proposal bodies): stored exactly as sent. NUL is the one character
///   no string field accepts (see `RequestScreen`): SQLite's C string API, as GRDB uses it, ends a
///   string at NUL, so it could never be stored faithfully.
public enum TextRules {
    /// Bidirectional controls (LRM, RLM, ALM, embeddings, overrides and isolates): refused in lines.
    static let bidiControls: Set<UInt32> = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                            0x2066, 0x2067, 0x2068, 0x2069]

    /// Checks and normalises a name or title.
    /// - Parameters:
    ///   - text: The name as sent.
    ///   - field: The request field, for the error.
    /// - Returns: The name in NFC.
    /// - Throws: INVALID_ARGUMENT naming the field and the character refused.
    public static func name(_ text: String, field: String) throws -> String {
        let normalised = text.precomposedStringWithCanonicalMapping
        for scalar in normalised.unicodeScalars {
            if isControl(scalar) {
                throw RPCError.invalidField(field, "must not contain control character \(codePoint(scalar))")
            }
            if scalar.properties.generalCategory == .format || scalar.value == 0x2028 || scalar.value == 0x2029 {
                throw RPCError.invalidField(field, "must not contain invisible formatting character \(codePoint(scalar)) "
                                            + "(zero-width or bidirectional control)")
            }
        }
        return normalised
    }

    /// Checks a one-line field.
    /// - Parameters:
    ///   - text: The value as sent (returned unchanged when accepted).
    ///   - field: The request field, for the error.
    /// - Returns: The value.
    /// - Throws: INVALID_ARGUMENT naming the field and the character refused.
    @discardableResult
    public static func line(_ text: String, field: String) throws -> String {
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0x85 {
                throw RPCError.invalidField(field, "must be one line (no line breaks)")
            }
            if isControl(scalar) {
                throw RPCError.invalidField(field, "must not contain control character \(codePoint(scalar))"
                                            + (scalar.value == 0x1B ? " (escape sequences are refused)" : ""))
            }
            if bidiControls.contains(scalar.value) {
                throw RPCError.invalidField(field, "must not contain bidirectional control \(codePoint(scalar))")
            }
        }
        return text
    }

    /// Checks long text that did not arrive as a string field of its own (a value inside JSON, say),
    /// which `RequestScreen` therefore has not seen: it is stored exactly, so it must not hold NUL.
    /// - Parameters:
    ///   - text: The text (returned unchanged when accepted).
    ///   - field: The request field, for the error.
    /// - Returns: The text.
    /// - Throws: INVALID_ARGUMENT naming the field.
    @discardableResult
    public static func text(_ text: String, field: String) throws -> String {
        if text.utf8.contains(0) { throw RPCError.invalidField(field, "must not contain NUL (U+0000)") }
        return text
    }

    /// Whether a scalar is a C0 or C1 control character or DEL.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// "U+001B": how an error names a character that would not print.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
