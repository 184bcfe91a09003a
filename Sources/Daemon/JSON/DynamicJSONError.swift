/// Why JSON could not be encoded as a message, or a message decoded to JSON.
///
/// `path` names the field at fault from the top-level message, e.g. `services[0].methods[1].name`
/// (empty for the message itself); `description` is a complete sentence for people that includes it.
public struct DynamicJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem.
    public enum Kind: Sendable, Equatable {
        /// The text is not JSON.
        case syntax
        /// A JSON key that names no field of the message.
        case unknownField
        /// A JSON value of the wrong type for its field (a string for a number, an object for a list…).
        case wrongType
        /// A value of the right JSON type that the field cannot hold: out of range, an unknown enum name,
        /// bad base64, a malformed timestamp…
        case badValue
        /// A message or enum type whose descriptor is not in the pool.
        case unknownType
        /// Binary input that is not a valid protobuf message of the type.
        case malformed
        /// Something this codec does not handle (groups, an `Any` of an unknown type).
        case unsupported
    }

    /// The kind of problem.
    public var kind: Kind
    /// The field at fault, e.g. `services[0].name`; empty for the message itself.
    public var path: String
    /// What went wrong, for people.
    public var description: String

    /// Creates an error.
    /// - Parameters:
    ///   - kind: The kind of problem.
    ///   - path: The field at fault.
    ///   - description: What went wrong, naming the field.
    public init(_ kind: Kind, path: String, _ description: String) {
        self.kind = kind
        self.path = path
        self.description = description
    }

    static func wrongType(_ path: String, expected: String, got value: Any) -> DynamicJSONError {
        DynamicJSONError(.wrongType, path: path, "\(Self.subject(path)): expected \(expected), got \(JSONInput(value).kindName)")
    }

    static func badValue(_ path: String, _ why: String) -> DynamicJSONError {
        DynamicJSONError(.badValue, path: path, "\(Self.subject(path)): \(why)")
    }

    static func malformed(_ path: String, _ why: String) -> DynamicJSONError {
        DynamicJSONError(.malformed, path: path, "\(Self.subject(path)): malformed protobuf: \(why)")
    }

    /// "field "a.b"" for a field, "the message" for the top level.
    static func subject(_ path: String) -> String {
        path.isEmpty ? "the message" : "field \"\(path)\""
    }

    /// Appends a field name to a path.
    static func join(_ path: String, _ name: String) -> String {
        path.isEmpty ? name : path + "." + name
    }
}
