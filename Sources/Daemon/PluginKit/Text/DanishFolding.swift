public import GRDB

/// The one Danish folding of coid: every name search, every region or municipality typed as text,
/// the wiki's search index, placements' offer search and nominations' duplicate keys compare text
/// folded by this, so "Søren Sørensen", "SØRENSEN", "soerensen" and "sorensen" meet, as do
/// "Region Sjælland" and "sjaelland", "Århus", "Aarhus" and "arhus".
///
/// Lower case; each Danish letter collapses to its plainest ASCII form (æ → ae, ø → o, å → a, and
/// the Swedish/German ä → ae, ö → o); the two-letter substitutes collapse the same way (aa → a,
/// oe → o), so the official spelling, the transliterated one and the keyboard-without-æøå one give
/// one key; everything but letters and digits separates words. Other accents (é, ü) are left to
/// whoever compares (SQLite FTS5's unicode61 tokenizer removes them in the wiki's index).
public enum DanishFolding {
    /// The folded words of `text`, joined by single spaces: "Lyngby-Taarbæk" → "lyngby tarbaek".
    /// - Parameter text: Any text.
    /// - Returns: The folded text.
    public static func fold(_ text: String) -> String { words(text).joined(separator: " ") }

    /// The folded text with no separators at all, for comparing whole names: "Høje-Taastrup" and
    /// "hoeje taastrup" both give "hojetastrup".
    /// - Parameter text: Any text.
    /// - Returns: The key.
    public static func key(_ text: String) -> String { words(text).joined() }

    /// The folded words of `text`.
    /// - Parameter text: Any text.
    /// - Returns: The words, in order.
    public static func words(_ text: String) -> [String] {
        // Names and titles are ASCII plus æøå (äö): those are folded byte by byte, which keeps a
        // name search over every account (coi_fold per row) cheap; anything else takes the general path.
        asciiAndDanishWords(text) ?? wordsByCharacter(text)
    }

    /// The general path: grapheme by grapheme, for any script.
    static func wordsByCharacter(_ text: String) -> [String] {
        var words: [String] = []
        var word: [Character] = []
        func flush() {
            if !word.isEmpty { words.append(String(word)) }
            word = []
        }
        for character in text.lowercased() {
            switch character {
            case "æ", "ä": word.append(contentsOf: ["a", "e"])
            case "ø", "ö": word.append("o")
            case "å": word.append("a")
            // "aa" → "a" and "oe" → "o", so the substitutes fold like the letters they stand for.
            case "a" where word.last == "a": continue
            case "e" where word.last == "o": continue
            case _ where character.isLetter || character.isNumber: word.append(character)
            default: flush()
            }
        }
        flush()
        return words
    }

    /// The same folding over UTF-8 for text of ASCII and æ ø å ä ö (either case); nil for anything
    /// else (é, ü, combining marks, other scripts), which the general path handles.
    static func asciiAndDanishWords(_ text: String) -> [String]? {
        var words: [String] = []
        var word: [UInt8] = []
        word.reserveCapacity(32)
        func flush() {
            if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
            word.removeAll(keepingCapacity: true)
        }
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                let lower = byte | 0x20
                if lower == UInt8(ascii: "a"), word.last == UInt8(ascii: "a") { continue }
                if lower == UInt8(ascii: "e"), word.last == UInt8(ascii: "o") { continue }
                word.append(lower)
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                word.append(byte)
            case 0xC3:
                // Æ æ Ä ä → ae, Ø ø Ö ö → o, Å å → a; any other two-byte letter: the general path.
                switch bytes.next() {
                case 0x86, 0xA6, 0x84, 0xA4: word += [UInt8(ascii: "a"), UInt8(ascii: "e")]
                case 0x98, 0xB8, 0x96, 0xB6: word.append(UInt8(ascii: "o"))
                case 0x85, 0xA5: word.append(UInt8(ascii: "a"))
                default: return nil
                }
            case 0x80...:
                return nil
            default:
                flush()
            }
        }
        flush()
        return words
    }

    /// `coi_fold(text)` in SQL: the same folding, registered on every connection of the `Store`, so
    /// a query can compare a column folded (`coi_fold(full_name) LIKE ?`) with a folded pattern.
    /// NULL stays NULL.
    public static let sqlFunction = DatabaseFunction("coi_fold", argumentCount: 1, pure: true) { values in
        guard let text = String.fromDatabaseValue(values[0]) else { return nil }
        return fold(text)
    }

    /// A LIKE pattern that finds `text` folded anywhere in a folded column (`coi_fold(col) LIKE ?
    /// ESCAPE '\'`); nil when `text` folds to nothing (punctuation only).
    /// - Parameter text: What was typed.
    /// - Returns: The pattern.
    public static func containsPattern(_ text: String) -> String? {
        let folded = fold(text)
        guard !folded.isEmpty else { return nil }
        // Folded text holds only letters, digits and spaces: nothing to escape but what LIKE could
        // read as wildcards, which folding has already removed.
        return "%" + folded + "%"
    }
}
