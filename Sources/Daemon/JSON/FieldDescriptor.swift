public import SwiftProtobuf

/// One field of a message, resolved from its `FieldDescriptorProto` for the JSON codecs.
public struct FieldDescriptor: Sendable, Equatable {
    /// The field's scalar type, `.message`, `.enum` or `.group`.
    public typealias Kind = Google_Protobuf_FieldDescriptorProto.TypeEnum

    /// The name in the .proto file, e.g. `uptime_seconds`.
    public let name: String
    /// The proto3 JSON name, e.g. `uptimeSeconds`: the descriptor's `json_name`, else lowerCamelCase of `name`.
    public let jsonName: String
    /// The field number.
    public let number: Int32
    /// The field's type.
    public let kind: Kind
    /// For messages and enums, the fully-qualified type name without the leading dot; empty otherwise.
    public let typeName: String
    /// Whether the field is `repeated` (maps are repeated too).
    public let isRepeated: Bool
    /// Whether the field is a `map<K, V>`: repeated map-entry messages with `key` = 1 and `value` = 2.
    public let isMap: Bool
    /// Whether a repeated scalar field is written packed.
    public let isPacked: Bool
    /// Whether the field tracks presence (messages, oneof members, `optional`, proto2): then a default value is
    /// still written and printed.
    public let hasPresence: Bool
    /// The index of the (real, not synthetic) oneof the field belongs to.
    public let oneofIndex: Int?

    init(name: String, jsonName: String? = nil, number: Int32, kind: Kind, typeName: String = "",
         isRepeated: Bool = false, isMap: Bool = false, isPacked: Bool = false, hasPresence: Bool = false, oneofIndex: Int? = nil) {
        self.name = name
        self.jsonName = jsonName ?? Self.lowerCamelCase(name)
        self.number = number
        self.kind = kind
        self.typeName = typeName
        self.isRepeated = isRepeated
        self.isMap = isMap
        self.isPacked = isPacked
        self.hasPresence = hasPresence
        self.oneofIndex = oneofIndex
    }

    /// Whether values of this type can be packed (every scalar but strings and bytes).
    public var isPackable: Bool {
        switch kind {
        case .string, .bytes, .message, .group: false
        default: true
        }
    }

    /// The name of the field's type as it appears in a .proto file, e.g. `uint32` or `coi.core.v1.EchoRequest`.
    public var typeDisplayName: String {
        switch kind {
        case .message, .enum, .group: typeName
        case .double: "double"
        case .float: "float"
        case .int64: "int64"
        case .uint64: "uint64"
        case .int32: "int32"
        case .fixed64: "fixed64"
        case .fixed32: "fixed32"
        case .bool: "bool"
        case .string: "string"
        case .bytes: "bytes"
        case .uint32: "uint32"
        case .sfixed32: "sfixed32"
        case .sfixed64: "sfixed64"
        case .sint32: "sint32"
        case .sint64: "sint64"
        }
    }

    /// protoc's JSON name for a field name: underscores dropped, the letter after each one upper-cased.
    /// - Parameter name: A field name such as `field_violations`.
    /// - Returns: The lowerCamelCase name, e.g. `fieldViolations`.
    public static func lowerCamelCase(_ name: String) -> String {
        var result = ""
        var upperNext = false
        for character in name {
            if character == "_" {
                upperNext = true
            } else if upperNext {
                result += character.uppercased()
                upperNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }
}
