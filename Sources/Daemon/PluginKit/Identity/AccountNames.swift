public import GRDB

/// How a plugin reads people from identity's table: plugins store account ids and join for the name
/// at read time, so that erasure (which renames the account "former contributor N") reaches every
/// plugin's pages at once. The table's name and columns are known here only.
public enum AccountNames {
    /// A join to the account whose name a row shows, e.g. `AccountNames.join(on: "r.author_id")`;
    /// the name is then `a.full_name` (NULL when the id names no account).
    /// - Parameters:
    ///   - column: The plugin's column holding an account id (a trusted identifier, never user input).
    ///   - alias: The alias of the accounts table in the query.
    ///   - required: An inner join (rows without an account are dropped) instead of a left join.
    /// - Returns: The SQL fragment.
    public static func join(on column: String, as alias: String = "a", required: Bool = false) -> String {
        "\(required ? "JOIN" : "LEFT JOIN") identity_accounts \(alias) ON \(alias).id = \(column)"
    }

    /// Whether an account exists.
    /// - Parameters:
    ///   - db: The database.
    ///   - id: The account id.
    ///   - kind: Only an account of this kind counts.
    ///   - activeOnly: Only an active (not suspended or erased) account counts.
    /// - Returns: Whether it exists.
    public static func exists(_ db: Database, id: String, kind: AccountRef.Kind? = nil, activeOnly: Bool = false) throws -> Bool {
        let sql = switch (kind, activeOnly) {
        case (nil, false): "SELECT 1 FROM identity_accounts WHERE id = ?"
        case (nil, true): "SELECT 1 FROM identity_accounts WHERE id = ? AND status = 'active'"
        case (.some, false): "SELECT 1 FROM identity_accounts WHERE id = ? AND kind = ?"
        case (.some, true): "SELECT 1 FROM identity_accounts WHERE id = ? AND kind = ? AND status = 'active'"
        }
        var arguments: StatementArguments = [id]
        if let kind { arguments += [kind.rawValue] }
        return try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) != nil
    }

    /// The full name of an account as it reads now, or nil when there is none.
    /// - Parameters:
    ///   - db: The database.
    ///   - id: The account id.
    /// - Returns: The name.
    public static func name(_ db: Database, id: String) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT full_name FROM identity_accounts WHERE id = ?"), arguments: [id])
    }
}
