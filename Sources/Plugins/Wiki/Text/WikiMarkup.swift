import Foundation

/// What the wiki reads out of a page's CommonMark: `[[Page]]` and `[[Page|label]]` links,
/// `[[Category:Name]]` categories and a leading `#REDIRECT [[Target]]`.
///
/// Links inside fenced code blocks and inline code spans are text, not links, as a reader sees them.
struct WikiMarkup: Sendable, Equatable {
    /// Distinct link targets in order of first appearance.
    var links: [PageTitle] = []
    /// Distinct category names in order of first appearance.
    var categories: [String] = []
    /// The target when the page is a redirect.
    var redirect: PageTitle?

    static let categoryPrefix = "category:"

    /// Reads a page's text.
    /// - Parameter text: CommonMark with wiki links.
    init(parsing text: String) {
        var seenLinks = Set<String>()
        var seenCategories = Set<String>()
        var fence: String?
        var first = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if let open = fence {
                if trimmed.hasPrefix(open) { fence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix(3))
                continue
            }
            if first, trimmed.uppercased().hasPrefix("#REDIRECT") {
                redirect = Self.targets(in: trimmed).first.flatMap { PageTitle(Self.withoutAnchor($0.target)) }
            }
            if !trimmed.isEmpty { first = false }
            for (target, _) in Self.targets(in: Self.withoutCodeSpans(line)) {
                let name = Self.withoutAnchor(target)
                if name.lowercased().hasPrefix(Self.categoryPrefix) {
                    let category = String(name.dropFirst(Self.categoryPrefix.count)).split(whereSeparator: \.isWhitespace)
                        .joined(separator: " ")
                    if let title = PageTitle(category), seenCategories.insert(title.key).inserted {
                        categories.append(title.name)
                    }
                } else if let title = PageTitle(name), seenLinks.insert(title.namespace.rawValue + ":" + title.key).inserted {
                    links.append(title)
                }
            }
        }
    }

    /// The `[[target|label]]` pairs of one line.
    static func targets(in line: some StringProtocol) -> [(target: String, label: String)] {
        var result: [(String, String)] = []
        var rest = Substring(line)
        while let open = rest.range(of: "[[") {
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "]]") else { break }
            let inner = after[..<close.lowerBound]
            if !inner.contains("[") {
                let parts = inner.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                result.append((String(parts[0]), parts.count > 1 ? String(parts[1]) : String(parts[0])))
            }
            rest = after[close.upperBound...]
        }
        return result
    }

    static func withoutAnchor(_ target: String) -> String {
        String(target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// The line with inline code spans (`…`) blanked out.
    static func withoutCodeSpans(_ line: some StringProtocol) -> String {
        var result = ""
        var inCode = false
        for character in line {
            if character == "`" {
                inCode.toggle()
                continue
            }
            if !inCode { result.append(character) }
        }
        return result
    }
}
