/// A kind of record a role binding may be scoped to ("campaign:cmp_12"), and where its ids live,
/// so that identity can refuse a binding to a record that does not exist.
///
/// `table` and `column` are the declaring plugin's own identifiers, written in code, never user
/// text; the scope's id is bound as a parameter.
public struct ScopeKind: Sendable, Hashable {
    /// The prefix before the colon, e.g. "campaign".
    public var name: String
    /// The table holding the records, e.g. "nominations_campaigns".
    public var table: String
    /// Its column of public ids, e.g. "id".
    public var column: String

    /// Declares a scope kind.
    /// - Parameters:
    ///   - name: The prefix before the colon.
    ///   - table: The plugin's table of those records.
    ///   - column: The column holding the id after the colon.
    public init(_ name: String, table: String, column: String = "id") {
        self.name = name
        self.table = table
        self.column = column
    }
}
