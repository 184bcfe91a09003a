import COIPluginKit
import Foundation

/// FTS5 queries from what people type. The search index holds text folded by the kit's one
/// `DanishFolding` and queries are folded the same way, so "Århus", "Aarhus" and "arhus",
/// "København" and "Koebenhavn" are one word to FTS5; the unicode61 tokenizer (remove_diacritics 2)
/// then takes care of the remaining accents (é, ü …).
enum SearchQuery {
    /// One word folded for the index (no separators are left inside a word).
    static func fold(_ word: some StringProtocol) -> String { DanishFolding.key(String(word)) }

    /// The FTS5 query for `query` with prefix words left to FTS5 (no expansion).
    /// - Parameter query: The query as typed.
    /// - Returns: The MATCH expression, or nil when the query has no words.
    static func matchExpression(_ query: String) -> String? {
        matchExpression(query, expand: { _ in [] })
    }

    /// Words of a search query as an FTS5 query: each folded word quoted (so no query syntax can be
    /// injected), all required. A word ending in `*` is a prefix: `expand` names the indexed terms it
    /// stands for (at most a few, see `Wiki.maxPrefixExpansions`) and they are OR-ed; when it names
    /// none, FTS5's own prefix query is used.
    /// - Parameters:
    ///   - query: The query as typed.
    ///   - expand: The indexed terms starting with a folded prefix.
    /// - Returns: The FTS5 MATCH expression, or nil when the query has no words.
    static func matchExpression(_ query: String, expand: (String) throws -> [String]) rethrows -> String? {
        var terms: [String] = []
        for word in query.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "*") }) {
            let prefix = word.hasSuffix("*")
            let bare = word.filter { $0 != "*" }
            guard !bare.isEmpty else { continue }
            let folded = fold(bare)
            let expansions = prefix ? try expand(folded) : []
            if !expansions.isEmpty {
                terms.append("(" + expansions.map(quoted).joined(separator: " OR ") + ")")
            } else {
                terms.append(quoted(folded) + (prefix ? " *" : ""))
            }
        }
        // An explicit AND: FTS5 only joins plain phrases implicitly, so `"aarhus" ("kommune" OR …)`,
        // what a prefix word expands to, was a syntax error (INTERNAL) for every multi-word query.
        return terms.isEmpty ? nil : terms.joined(separator: " AND ")
    }

    /// An FTS5 string: whatever it holds is one phrase, never syntax (`"` is doubled, as FTS5 escapes it).
    static func quoted(_ term: String) -> String {
        "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The folded words of a query, for marking matches in snippets; prefix words end in `*`.
    static func queryWords(_ query: String) -> [String] {
        query.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "*") }).compactMap { word in
            let bare = word.filter { $0 != "*" }
            return bare.isEmpty ? nil : fold(bare) + (word.hasSuffix("*") ? "*" : "")
        }
    }
}
