public import GRDB

// Plugins' hot statements go through the connection's statement cache: a statement is parsed and
// authorized once per connection instead of at every call. Preparing was the largest cost of a
// nomination's submission and of a wiki save (GRDB's authorizer walks every column a statement
// reads), found by both plugins' profiles.

extension Database {
    /// Executes one statement from the cache.
    /// - Parameters:
    ///   - sql: A single SQL statement.
    ///   - arguments: Its bound arguments.
    public func run(sql: String, arguments: StatementArguments = []) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension Row {
    /// The first row of a cached statement.
    public static func cachedOne(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> Row? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    /// Every row of a cached statement.
    public static func cachedAll(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [Row] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension DatabaseValueConvertible {
    /// The first value of a cached statement.
    public static func cachedOne(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension DatabaseValueConvertible where Self: Hashable {
    /// The distinct values of a cached statement.
    public static func cachedSet(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> Set<Self> {
        try fetchSet(db.cachedStatement(sql: sql), arguments: arguments)
    }
}
