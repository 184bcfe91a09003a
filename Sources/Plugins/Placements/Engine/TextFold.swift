/// Danish-folded text for search: lower case, æ/ø/å and their substitutes (ae/oe/aa) made equal,
/// punctuation dropped, words separated by one space. "Sundhedsområdet" and "sundhedsomraadet"
/// fold alike, so a search typed on a keyboard without Danish letters still finds it.
public enum TextFold {
    /// The folded words of `text`, joined by single spaces.
    public static func fold(_ text: String) -> String { words(text).joined(separator: " ") }

    /// The folded words of `text`.
    public static func words(_ text: String) -> [String] {
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
}
