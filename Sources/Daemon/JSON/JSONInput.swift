import Foundation

/// A JSON value as `JSONSerialization` (or Swift code) hands it over, sorted into JSON's kinds.
///
/// Foundation gives numbers and booleans as `NSNumber`; booleans are told apart by their `objCType` ("c").
enum JSONInput {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case array([Any])
    case object([String: Any])
    case other

    init(_ raw: Any) {
        // Native Swift scalars by their exact type first: as NSNumber a Bool would look like a number.
        let dynamicType = type(of: raw)
        switch raw {
        case is NSNull: self = .null
        case let value as String: self = .string(value)
        case let value as [Any]: self = .array(value)
        case let value as [String: Any]: self = .object(value)
        case let value as Bool where dynamicType == Bool.self: self = .bool(value)
        case let value as Int where dynamicType == Int.self: self = .int(Int64(value))
        case let value as Int64 where dynamicType == Int64.self: self = .int(value)
        case let value as Int32 where dynamicType == Int32.self: self = .int(Int64(value))
        case let value as UInt64 where dynamicType == UInt64.self: self = .uint(value)
        case let value as UInt32 where dynamicType == UInt32.self: self = .uint(UInt64(value))
        case let value as UInt where dynamicType == UInt.self: self = .uint(UInt64(value))
        case let value as Double where dynamicType == Double.self: self = .double(value)
        case let value as Float where dynamicType == Float.self: self = .double(Double(value))
        case let value as NSNumber:
            switch String(cString: value.objCType) {
            case "c", "B": self = .bool(value.boolValue)
            case "d", "f": self = .double(value.doubleValue)
            case "Q", "L", "I", "S", "C": self = .uint(value.uint64Value)
            default: self = .int(value.int64Value)
            }
        default: self = .other
        }
    }

    /// The kind of value, for error messages: "a string", "a number"…
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .uint, .double: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        case .other: "a value that is not JSON"
        }
    }
}
