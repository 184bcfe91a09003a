/// Why a frame, a sample design or a draw was refused.
public enum DesignError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownVariable(String)
    case duplicateVariable(String)
    case emptyUnitID(index: Int)
    case duplicateUnit(String)
    case valueCount(unit: String, expected: Int, found: Int)
    case invalidSampleSize(Int)
    case missingSampleSize
    case sampleSizeTooLarge(requested: Int, frame: Int)
    case takeAllExceedsSample(takeAll: Int, sampleSize: Int)
    case unknownStratum(StratumKey)
    case missingFixedSize(StratumKey)
    case fixedSizeTooLarge(StratumKey, requested: Int, population: Int)
    case minimumTooLarge(needed: Int, available: Int)

    public var description: String {
        switch self {
        case .unknownVariable(let name): "unknown frame variable \"\(name)\""
        case .duplicateVariable(let name): "frame variable \"\(name)\" appears twice"
        case .emptyUnitID(let index): "unit \(index + 1) has an empty id"
        case .duplicateUnit(let id): "unit id \"\(id)\" appears twice in the frame"
        case .valueCount(let unit, let expected, let found): "unit \"\(unit)\" has \(found) values, the frame has \(expected) variables"
        case .invalidSampleSize(let size): "sample size \(size) must be at least 1"
        case .missingSampleSize: "proportional and equal allocation need a total sample size"
        case .sampleSizeTooLarge(let requested, let frame): "sample size \(requested) is larger than the frame (\(frame) units)"
        case .takeAllExceedsSample(let takeAll, let sampleSize):
            "take-all strata hold \(takeAll) units, more than the sample size \(sampleSize)"
        case .unknownStratum(let key): "stratum \(key) is not in the frame"
        case .missingFixedSize(let key): "fixed allocation gives no size for stratum \(key)"
        case .fixedSizeTooLarge(let key, let requested, let population):
            "fixed size \(requested) for stratum \(key) is larger than the stratum (\(population) units)"
        case .minimumTooLarge(let needed, let available):
            "the minimum per stratum needs \(needed) units but only \(available) are left to allocate"
        }
    }
}
