/// Why a weighted design or an estimation request was refused.
public enum EstimationError: Error, Equatable, Sendable, CustomStringConvertible {
    case noRespondents
    case duplicateRespondent(String)
    case unknownStratum(unit: String, stratum: StratumKey)
    case tooManyRespondents(StratumKey, respondents: Int, population: Int)
    case missingVariable(unit: String, variable: String)
    case levelNotInPopulation(variable: String, level: String)
    case levelWithoutRespondents(variable: String, level: String)
    case unknownQuestion(String)
    case invalidLevel(Double)

    public var description: String {
        switch self {
        case .noRespondents: "there are no respondents"
        case .duplicateRespondent(let unit): "unit \"\(unit)\" responds twice"
        case .unknownStratum(let unit, let stratum): "unit \"\(unit)\" is in stratum \(stratum), which has no population size"
        case .tooManyRespondents(let stratum, let respondents, let population):
            "stratum \(stratum) has \(respondents) respondents but only \(population) units"
        case .missingVariable(let unit, let variable): "unit \"\(unit)\" has no value for \"\(variable)\""
        case .levelNotInPopulation(let variable, let level): "raking: \(variable) = \"\(level)\" has respondents but no population total"
        case .levelWithoutRespondents(let variable, let level):
            "raking: \(variable) = \"\(level)\" has a population total but no respondents (R's rake() refuses this too)"
        case .unknownQuestion(let id): "unknown question \"\(id)\""
        case .invalidLevel(let level): "confidence level \(level) must be between 0 and 1"
        }
    }
}
