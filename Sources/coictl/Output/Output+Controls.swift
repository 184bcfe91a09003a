extension Output {
    /// Makes terminal control characters visible as `\u{1b}`: C0 and C1 controls, DEL, and the
    /// bidirectional overrides and isolates that reorder what a terminal shows. Stored text comes
    /// from other people; printed raw, an ESC sequence could rewrite the screen or the title bar.
    /// - Parameters:
    ///   - text: Text to show.
    ///   - keepLayout: Keep newlines and tabs (free text); a table cell escapes them too.
    static func escapeControls(_ text: String, keepLayout: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0, keepLayout: keepLayout) }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar, keepLayout: keepLayout) {
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar, keepLayout: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: !keepLayout
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
