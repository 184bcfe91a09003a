/// Folds text so that Danish spellings find each other: lower-case, æ→ae, ø→oe, å→aa (and the
/// Swedish/German ä→ae, ö→oe). The search index holds the folded text and queries are folded the
/// same way, so "Århus" and "Aarhus", "København" and "Koebenhavn" are one word to FTS5; the
/// unicode61 tokenizer (remove_diacritics 2) then takes care of the remaining accents (é, ü …).
enum DanishFolding {
    /// The folded text.
    /// - Parameter text: Any text.
    /// - Returns: Lower-case text with æ, ø, å (ä, ö) spelled out.
    static func fold(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.lowercased() {
            switch character {
            case "æ", "ä": result += "ae"
            case "ø", "ö": result += "oe"
            case "å": result += "aa"
            default: result.append(character)
            }
        }
        return result
    }

    /// Words of a search query as an FTS5 query: each folded word quoted (so no query syntax can be
    /// injected), all required; a word ending in `*` matches as a prefix.
    /// - Parameter query: The query as typed.
    /// - Returns: The FTS5 MATCH expression, or nil when the query has no words.
    static func matchExpression(_ query: String) -> String? {
        var terms: [String] = []
        for word in query.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "*") }) {
            let prefix = word.hasSuffix("*")
            let bare = word.filter { $0 != "*" }
            guard !bare.isEmpty else { continue }
            terms.append("\"\(fold(bare))\"" + (prefix ? " *" : ""))
        }
        return terms.isEmpty ? nil : terms.joined(separator: " ")
    }

    /// The folded words of a query, for marking matches in snippets; prefix words end in `*`.
    static func queryWords(_ query: String) -> [String] {
        query.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "*") }).compactMap { word in
            let bare = word.filter { $0 != "*" }
            return bare.isEmpty ? nil : fold(bare) + (word.hasSuffix("*") ? "*" : "")
        }
    }
}
