/// A population margin that weights are raked to: the population count of each value of a variable,
/// usually `Frame.totals(of:)`.
public struct RakingMargin: Sendable, Equatable {
    public var variable: String
    public var totals: [String: Double]

    /// Creates a margin.
    /// - Parameters:
    ///   - variable: The respondent variable.
    ///   - totals: Population count by value.
    public init(variable: String, totals: [String: Double]) {
        self.variable = variable
        self.totals = totals
    }
}
