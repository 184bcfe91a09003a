import Foundation

/// A search result's snippet, cut from the page's original text (not the folded index copy) so
/// people read "Århus" as written; words whose folded form matches a query word are marked «…».
enum Snippet {
    /// The snippet around the first match.
    /// - Parameters:
    ///   - text: The page's text.
    ///   - words: Folded query words from `SearchQuery.queryWords`; a trailing `*` is a prefix.
    ///   - width: Words shown.
    /// - Returns: The snippet, with "…" where text was cut.
    static func make(_ text: String, words: [String], width: Int = 24) -> String {
        let tokens = TextDiff.tokens(text)
        func matches(_ token: String) -> Bool {
            guard token.first?.isLetter == true || token.first?.isNumber == true else { return false }
            let folded = SearchQuery.fold(token)
            return words.contains { word in
                word.hasSuffix("*") ? folded.hasPrefix(word.dropLast()) : folded == word
            }
        }
        let firstMatch = tokens.firstIndex(where: matches) ?? 0
        // Tokens alternate between words and separators, so twice the width in tokens.
        let start = max(0, firstMatch - width / 2)
        let end = min(tokens.count, start + width * 2)
        var result = start > 0 ? "…" : ""
        for token in tokens[start..<end] {
            if token.first?.isWhitespace == true {
                result += " "
            } else {
                result += matches(token) ? "«\(token)»" : token
            }
        }
        result = result.trimmingCharacters(in: .whitespaces)
        if end < tokens.count { result += "…" }
        return result
    }
}
