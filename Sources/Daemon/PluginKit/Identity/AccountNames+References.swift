import Foundation

// Text coid writes about people (a wiki rollback's "Rolled back 2 edits by …") refers to accounts by
// id and is rendered with the names as they read now, so erasure reaches it like every other place
// a name is shown: an erased account reads "former contributor N".
extension AccountNames {
    static let referencePrefix = "{{account:"
    static let referenceSuffix = "}}"

    /// The reference to an account that generated text stores instead of its name,
    /// `{{account:acc_…}}`; `render(_:names:)` turns it into the account's current name.
    /// - Parameter id: The account id.
    /// - Returns: The reference.
    public static func reference(_ id: String) -> String { referencePrefix + id + referenceSuffix }

    /// Whether text holds something that reads as an account reference: text people type is refused
    /// with it, so only what coid generates names people by id.
    /// - Parameter text: Any text.
    /// - Returns: Whether it contains `{{account:`.
    public static func containsReference(_ text: String) -> Bool { text.contains(referencePrefix) }

    /// A SQL expression giving, for a text column that may hold references, the current names of
    /// the accounts it refers to (as `render(_:names:)` reads them), or NULL when it holds none.
    /// Only rows with a reference look at the accounts, so lists of ordinary rows cost nothing more.
    /// - Parameter column: The column (a trusted identifier, never user input), e.g. "r.summary".
    /// - Returns: The expression, to select `AS` some name.
    public static func referencedNames(in column: String) -> String {
        """
        CASE WHEN instr(\(column), '\(referencePrefix)') > 0 THEN (SELECT group_concat(x.id || char(31) || x.full_name, char(30))
            FROM identity_accounts x WHERE instr(\(column), '\(referencePrefix)' || x.id || '\(referenceSuffix)') > 0) END
        """
    }

    /// Text with every account reference replaced by the account's current name.
    /// - Parameters:
    ///   - text: The stored text.
    ///   - names: The value of `referencedNames(in:)` for the row (nil when the text has none).
    /// - Returns: The text to show; a reference to an account that does not exist shows its id.
    public static func render(_ text: String, names: String?) -> String {
        guard containsReference(text) else { return text }
        var byID: [String: String] = [:]
        for pair in (names ?? "").split(separator: "\u{1E}") {
            let parts = pair.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { byID[String(parts[0])] = String(parts[1]) }
        }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: referencePrefix) {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].range(of: referenceSuffix) else {
                rest = rest[start.lowerBound...]
                break
            }
            let id = String(rest[start.upperBound..<end.lowerBound])
            result += byID[id] ?? id
            rest = rest[end.upperBound...]
        }
        return result + rest
    }
}
