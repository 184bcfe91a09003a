import COIPluginKit
import COIWire
import GRDB

/// A copycat nomination's link to the wiki case it copied, `wiki:Case:Title` (also written
/// `wiki:case/Title`), checked against the wiki's pages when it is given.
///
/// The wiki is another plugin in the same database; this reads its page table directly (namespace
/// and case-insensitive title key, the one lookup the link needs) rather than calling its service,
/// since a plugin's handler has no in-process client for another plugin. Title keys follow the
/// wiki's `PageTitle`: underscores are spaces, runs of spaces one space, compared in lower case.
enum WikiCaseLink {
    /// Fails unless `link` names a case page that exists and is not deleted; https:// links are
    /// outside the server and are not checked.
    /// - Parameters:
    ///   - link: The link as given (validated as a name).
    ///   - field: The request field, for the error.
    ///   - db: A connection.
    /// - Throws: INVALID_ARGUMENT naming the field and the page.
    static func requireExisting(_ link: String, field: String, db: Database) throws {
        guard link.hasPrefix("wiki:") else { return }
        guard let title = caseTitle(link) else {
            throw RPCError.invalidField(field, "\"\(link)\" does not name a case page; write wiki:Case:Title")
        }
        guard try Bool.cachedOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'wiki_pages'") ?? false else {
            throw RPCError.invalidField(field, "this server has no wiki to link to; give the origin as text or an https:// address")
        }
        let deleted = try Bool.cachedOne(db, sql: "SELECT deleted FROM wiki_pages WHERE namespace = 'case' AND title_key = ?",
                                        arguments: [title.lowercased()])
        guard deleted == false else {
            throw RPCError.invalidField(field, "there is no wiki case page \"Case:\(title)\"\(deleted == true ? " (it was deleted)" : "") "
                                        + "(coictl wiki cases lists them); write the case first, or give the origin as text")
        }
    }

    /// The case title a link names, normalised as the wiki does; nil when it names no case.
    /// - Parameter link: "wiki:Case:Title" or "wiki:case/Title".
    /// - Returns: The title without its namespace.
    static func caseTitle(_ link: String) -> String? {
        let rest = link.dropFirst("wiki:".count)
        let lowered = rest.lowercased()
        let name: Substring
        if lowered.hasPrefix("case:") || lowered.hasPrefix("case/") {
            name = rest.dropFirst(5)
        } else {
            return nil
        }
        let title = name.replacingOccurrences(of: "_", with: " ").split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return title.isEmpty ? nil : title
    }
}
