/// A subpopulation estimates are made for: the respondents with given values of some variables (none:
/// everybody). `["region"]` as a breakdown gives one domain per region; `["level", "sector", "size"]`
/// the peer cells a workplace compares itself with.
public struct Domain: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var variables: [String]
    public var values: [String]

    /// The whole population.
    public static let overall = Domain(variables: [], values: [])

    /// Creates a domain.
    /// - Parameters:
    ///   - variables: The variables.
    ///   - values: Their values, in the same order.
    public init(variables: [String], values: [String]) {
        precondition(variables.count == values.count, "one value per variable")
        self.variables = variables
        self.values = values
    }

    /// Whether a respondent belongs.
    /// - Parameter respondent: The respondent.
    /// - Returns: True when every variable has the domain's value.
    public func contains(_ respondent: Respondent) -> Bool {
        zip(variables, values).allSatisfy { respondent.variables[$0] == $1 }
    }

    /// Domains of one breakdown sort by their values, each by UTF-8 bytes.
    public static func < (lhs: Domain, rhs: Domain) -> Bool {
        StratumKey(lhs.variables + lhs.values) < StratumKey(rhs.variables + rhs.values)
    }

    /// "overall", or "region=Hovedstaden, size=50+".
    public var description: String {
        variables.isEmpty ? "overall" : zip(variables, values).map { "\($0)=\($1)" }.joined(separator: ", ")
    }
}
