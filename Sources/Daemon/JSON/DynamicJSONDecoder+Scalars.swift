import Foundation

extension DynamicJSONDecoder {
    /// The JSON of one non-message value, and whether it is the proto3 default.
    func value(of scalar: ProtoScalar, _ field: FieldDescriptor, path: String) throws(DynamicJSONError) -> (value: Any, isDefault: Bool) {
        switch (field.kind, scalar) {
        case let (.double, .fixed64(bits)):
            return (Self.json(Double(bitPattern: bits)), bits == 0)
        case let (.float, .fixed32(bits)):
            let float = Float(bitPattern: bits)
            // Through its shortest decimal form, so 0.1 prints as 0.1 and not 0.10000000149011612.
            return (float.isFinite ? Double(String(float)) ?? Double(float) : Self.json(Double(float)), bits == 0)
        case let (.int64, .varint(raw)):
            return (String(Int64(bitPattern: raw)), raw == 0)
        case let (.sint64, .varint(raw)):
            return (String(Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)), raw == 0)
        case let (.sfixed64, .fixed64(raw)):
            return (String(Int64(bitPattern: raw)), raw == 0)
        case let (.uint64, .varint(raw)), let (.fixed64, .fixed64(raw)):
            return (String(raw), raw == 0)
        case let (.int32, .varint(raw)):
            return (Int(Int32(truncatingIfNeeded: raw)), Int32(truncatingIfNeeded: raw) == 0)
        case let (.sint32, .varint(raw)):
            let bits = UInt32(truncatingIfNeeded: raw)
            return (Int(Int32(bitPattern: bits >> 1) ^ -Int32(bitPattern: bits & 1)), bits == 0)
        case let (.sfixed32, .fixed32(raw)):
            return (Int(Int32(bitPattern: raw)), raw == 0)
        case let (.uint32, .varint(raw)):
            return (Int(UInt32(truncatingIfNeeded: raw)), UInt32(truncatingIfNeeded: raw) == 0)
        case let (.fixed32, .fixed32(raw)):
            return (Int(raw), raw == 0)
        case let (.bool, .varint(raw)):
            return (raw != 0, raw == 0)
        case let (.enum, .varint(raw)):
            let number = Int32(truncatingIfNeeded: raw)
            if field.typeName == "google.protobuf.NullValue" { return (NSNull(), number == 0) }
            guard let enumType = pool.enumType(named: field.typeName) else { throw unknownType(field.typeName, path) }
            return (enumType.name(of: number) ?? Int(number), number == 0)
        case let (.string, .bytes(bytes)):
            guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformed(path, "a string that is not UTF-8") }
            return (text, bytes.isEmpty)
        case let (.bytes, .bytes(bytes)):
            return (Data(bytes).base64EncodedString(), bytes.isEmpty)
        default:
            throw .malformed(path, "wire type \(scalar.wireType.rawValue) for a \(field.typeDisplayName) field")
        }
    }

    /// A double as JSON: a number, or "NaN", "Infinity", "-Infinity".
    static func json(_ double: Double) -> Any {
        if double.isNaN { return "NaN" }
        if double.isInfinite { return double < 0 ? "-Infinity" : "Infinity" }
        return double
    }
}
