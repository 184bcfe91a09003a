/// A completed response as estimation sees it: the unit's stratum, the variables estimates are broken
/// down by or raked on (frame variables, region), and the answers.
public struct Respondent: Sendable {
    public var unitID: String
    public var stratum: StratumKey
    public var variables: [String: String]
    public var answers: [String: Answer]

    /// Creates a respondent.
    /// - Parameters:
    ///   - unitID: The frame unit.
    ///   - stratum: Its stratum in the wave's design.
    ///   - variables: Variable → value, for domains and raking.
    ///   - answers: Question id → answer (already validated).
    public init(unitID: String, stratum: StratumKey, variables: [String: String], answers: [String: Answer]) {
        self.unitID = unitID
        self.stratum = stratum
        self.variables = variables
        self.answers = answers
    }
}
