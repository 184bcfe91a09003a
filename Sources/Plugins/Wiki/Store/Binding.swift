import GRDB

/// Bound parameters built up piece by piece (filters that may or may not apply).
func bind(_ values: [any DatabaseValueConvertible]) -> StatementArguments {
    StatementArguments(values.map { Optional($0) })
}

extension Database {
    /// Runs a statement prepared once per connection: a save runs a dozen statements, and
    /// preparing them anew (parse, authorizer, region tracking) cost more than running them.
    func run(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
