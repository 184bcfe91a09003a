/// A TOML value.
public indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// Offset or local date-times, dates and times, kept as written.
    case datetime(String)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The TOML type's name, for error messages.
    public var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .datetime: "a date-time"
        case .array: "an array"
        case .table: "a table"
        }
    }
}

/// A TOML table that remembers the order its keys were written in.
public struct TOMLTable: Sendable, Equatable {
    /// Keys in insertion order.
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]

    public init() {}

    public subscript(key: String) -> TOMLValue? {
        get { values[key] }
        set {
            if values[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }

    public var isEmpty: Bool { keys.isEmpty }
}

/// A syntax or structure error, with its position and (when known) the key involved.
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let key: String?
    public let message: String

    public var description: String {
        "line \(line), column \(column): " + (key.map { "key \($0): " } ?? "") + message
    }
}
