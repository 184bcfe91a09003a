import GRDB

/// Bound parameters built up piece by piece (filters that may or may not apply).
func bind(_ values: [any DatabaseValueConvertible]) -> StatementArguments {
    StatementArguments(values.map { Optional($0) })
}
