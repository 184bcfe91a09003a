public import GRDB

/// One schema change of a plugin's tables. Identifiers are recorded once applied and must never
/// change; add new migrations instead of editing old ones.
public struct Migration: Sendable {
    /// Stable name, e.g. "001_create_pages".
    public var identifier: String
    /// Applies the change inside a transaction.
    public var apply: @Sendable (Database) throws -> Void

    /// Creates a migration.
    /// - Parameters:
    ///   - identifier: Stable name.
    ///   - apply: The schema change.
    public init(_ identifier: String, apply: @escaping @Sendable (Database) throws -> Void) {
        self.identifier = identifier
        self.apply = apply
    }

    /// A migration made of SQL statements.
    /// - Parameters:
    ///   - identifier: Stable name.
    ///   - sql: Statements separated by semicolons.
    /// - Returns: The migration.
    public static func sql(_ identifier: String, _ sql: String) -> Migration {
        Migration(identifier) { db in try db.execute(sql: sql) }
    }
}
