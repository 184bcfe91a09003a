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
            if first, !trimmed.isEmpty {
                first = false
                if trimmed.prefix(9).uppercased() == "#REDIRECT" {
                    redirect = Self.targets(in: trimmed).first.flatMap { PageTitle(Self.withoutAnchor($0.target)) }
                }
            }
            // Most lines have no link; finding none is one scan of the bytes.
            guard Self.hasLink(line.utf8) else { continue }
            let visible = line.utf8.contains(UInt8(ascii: "`")) ? Substring(Self.withoutCodeSpans(line)) : line
            for (target, _) in Self.targets(in: visible) {
                let name = Self.withoutAnchor(target)
                if name.utf8.count > Self.categoryPrefix.utf8.count, name.prefix(Self.categoryPrefix.count).lowercased() == Self.categoryPrefix {
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

    /// Whether the bytes contain "[[".
    static func hasLink(_ bytes: Substring.UTF8View) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: "["), previous == UInt8(ascii: "[") { return true }
            previous = byte
        }
        return false
    }

    /// The `[[target|label]]` pairs of one line.
    static func targets(in line: Substring) -> [(target: String, label: String)] {
        var result: [(String, String)] = []
        let bytes = Array(line.utf8)
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "["), bytes[index + 1] == UInt8(ascii: "[") else {
                index += 1
                continue
            }
            var end = index + 2
            while end + 1 < bytes.count, !(bytes[end] == UInt8(ascii: "]") && bytes[end + 1] == UInt8(ascii: "]")) { end += 1 }
            guard end + 1 < bytes.count else { break }
            let inner = bytes[(index + 2)..<end]
            if !inner.contains(UInt8(ascii: "[")) {
                let text = String(decoding: inner, as: UTF8.self)
                let parts = text.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                result.append((String(parts[0]), parts.count > 1 ? String(parts[1]) : String(parts[0])))
            }
            index = end + 2
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
