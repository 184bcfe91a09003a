import COIPluginKit
import COIWire
import Foundation

/// A page's address: namespace and normalised title, as written "Title", "Talk:Title" or "Case:Title".
///
/// Normalised like MediaWiki (underscores are spaces, runs of whitespace one space, first letter
/// upper-case) but matched case-insensitively through `key`, so "aarhus kommune" and "Aarhus
/// Kommune" are one page. The key does not fold æ/ae: those are different titles that search finds.
struct PageTitle: Sendable, Hashable {
    enum Namespace: String, Sendable, CaseIterable {
        case main, talk, `case`

        /// The prefix written before the title; empty for main.
        var prefix: String {
            switch self {
            case .main: ""
            case .talk: "Talk:"
            case .case: "Case:"
            }
        }
    }

    var namespace: Namespace
    /// The title without its namespace prefix.
    var name: String

    /// The full title, with its prefix.
    var full: String { namespace.prefix + name }
    /// The case-insensitive identity of the title within its namespace.
    var key: String { name.lowercased() }

    static let maxLength = 255
    static let forbidden: Set<Character> = ["[", "]", "{", "}", "|", "#", "<", ">", "\n", "\r", "\t"]

    init(namespace: Namespace, name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// Parses and normalises a title.
    /// - Parameters:
    ///   - text: The title as written.
    ///   - field: The request field, for the error.
    /// - Throws: INVALID_ARGUMENT naming the field and the rule broken.
    init(parsing given: String, field: String = "title") throws {
        // NFC and no invisible characters first, so look-alike titles cannot name different pages.
        let text = try TextRules.name(given, field: field)
        guard let title = PageTitle(text) else {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { throw RPCError.invalidField(field, "must not be empty") }
            if let bad = trimmed.first(where: { Self.forbidden.contains($0) }) {
                throw RPCError.invalidField(field, "must not contain \"\(bad)\"")
            }
            throw RPCError.invalidField(field, "must have a name after the namespace and be at most \(Self.maxLength) characters")
        }
        self = title
    }

    /// Parses a title, or nil when it is not a valid one (used for link targets, which are skipped).
    init?(_ given: String) {
        guard let text = try? TextRules.name(given, field: "title") else { return nil }
        var rest = Substring(text.replacingOccurrences(of: "_", with: " "))
        var namespace = Namespace.main
        for candidate in [Namespace.talk, .case] {
            if rest.lowercased().hasPrefix(candidate.prefix.lowercased()) {
                namespace = candidate
                rest = rest.dropFirst(candidate.prefix.count)
            }
        }
        let words = rest.split(whereSeparator: { $0.isWhitespace })
        var name = words.joined(separator: " ")
        guard !name.isEmpty, name.count <= Self.maxLength, !name.contains(where: { Self.forbidden.contains($0) }) else { return nil }
        name = name.prefix(1).uppercased() + name.dropFirst()
        self.namespace = namespace
        self.name = name
    }
}
