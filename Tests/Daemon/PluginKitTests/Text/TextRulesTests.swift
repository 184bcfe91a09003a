import COIPluginKit
import Testing

/// Issue 10, item 4: names are NFC without invisible characters; lines are one line without escapes.
@Suite struct TextRulesTests {
    /// The error text of a refused value, or nil when accepted.
    func refusal(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func namesAreNormalisedToNFC() throws {
        // "å" as a + combining ring, and as one scalar: one name, stored one way.
        #expect(try TextRules.name("Aarhus Havn\u{0061}\u{030A}", field: "title") == "Aarhus Havn\u{00E5}")
        #expect(try TextRules.name("København", field: "title") == "København")
    }

    @Test func namesRefuseInvisibleAndControlCharacters() {
        for bad in ["Aar\u{200B}hus", "Aar\u{200D}hus", "\u{FEFF}Aarhus", "Aarhus\u{202E}nummok", "Aar\u{2066}hus\u{2069}",
                    "Aar\u{00AD}hus", "Aarhus\u{0}", "Aarhus\u{1B}[31m", "Aar\nhus", "Aar\u{85}hus", "Aar\u{2028}hus"] {
            let error = refusal { _ = try TextRules.name(bad, field: "title") }
            #expect(error?.contains("title") == true, "\(bad.debugDescription) was accepted")
        }
    }

    @Test func linesRefuseBreaksEscapesAndBidiControls() {
        for bad in ["two\nlines", "cr\rhere", "esc \u{1B}[2J", "nul\u{0}", "tab\there", "sep\u{2028}", "rlo\u{202E}x", "nel\u{85}"] {
            let error = refusal { try TextRules.line(bad, field: "summary") }
            #expect(error?.contains("summary") == true, "\(bad.debugDescription) was accepted")
        }
        #expect(refusal { try TextRules.line("Fixed a typo — æøå 😀", field: "summary") } == nil)
    }

    @Test func textKeepsEverythingButNUL() {
        #expect(refusal { try TextRules.text("a\tb\nc\u{1B}[0m\u{200B}", field: "text") } == nil)
        #expect(refusal { try TextRules.text("a\u{0}b", field: "text") }?.contains("NUL") == true)
    }
}
