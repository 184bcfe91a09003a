import Foundation

extension DynamicJSONEncoder {
    /// Encodes one non-message value of a field (the field's own value, or one element of a list).
    func scalar(_ field: FieldDescriptor, _ value: Any, path: String) throws(DynamicJSONError) -> ProtoScalar {
        let input = JSONInput(value)
        let type = field.typeDisplayName
        switch field.kind {
        case .double:
            return .fixed64(try floatingPoint(input, value, path: path, type: type).bitPattern)
        case .float:
            let double = try floatingPoint(input, value, path: path, type: type)
            guard !double.isFinite || abs(double) <= Double(Float.greatestFiniteMagnitude) else {
                throw .badValue(path, "\(double) is out of range for float")
            }
            return .fixed32(Float(double).bitPattern)
        case .int64:
            return .varint(UInt64(bitPattern: try signed(input, value, path: path, type: type, min: .min, max: .max)))
        case .sint64:
            let number = try signed(input, value, path: path, type: type, min: .min, max: .max)
            return .varint(UInt64(bitPattern: (number << 1) ^ (number >> 63)))
        case .sfixed64:
            return .fixed64(UInt64(bitPattern: try signed(input, value, path: path, type: type, min: .min, max: .max)))
        case .uint64:
            return .varint(try unsigned(input, value, path: path, type: type, max: .max))
        case .fixed64:
            return .fixed64(try unsigned(input, value, path: path, type: type, max: .max))
        case .int32:
            // Negative int32s are sign-extended to ten bytes, as every protobuf implementation writes them.
            return .varint(UInt64(bitPattern: try signed(input, value, path: path, type: type, min: Int64(Int32.min), max: Int64(Int32.max))))
        case .sint32:
            let number = Int32(try signed(input, value, path: path, type: type, min: Int64(Int32.min), max: Int64(Int32.max)))
            return .varint(UInt64(UInt32(bitPattern: (number << 1) ^ (number >> 31))))
        case .sfixed32:
            let number = Int32(try signed(input, value, path: path, type: type, min: Int64(Int32.min), max: Int64(Int32.max)))
            return .fixed32(UInt32(bitPattern: number))
        case .uint32:
            return .varint(try unsigned(input, value, path: path, type: type, max: UInt64(UInt32.max)))
        case .fixed32:
            return .fixed32(UInt32(try unsigned(input, value, path: path, type: type, max: UInt64(UInt32.max))))
        case .bool:
            guard case let .bool(flag) = input else { throw .wrongType(path, expected: "true or false (bool)", got: value) }
            return .varint(flag ? 1 : 0)
        case .string:
            guard case let .string(text) = input else { throw .wrongType(path, expected: "a string", got: value) }
            return .bytes(Array(text.utf8))
        case .bytes:
            guard case let .string(text) = input else { throw .wrongType(path, expected: "a base64 string (bytes)", got: value) }
            guard let data = Self.base64Decode(text) else { throw .badValue(path, "\"\(text)\" is not base64") }
            return .bytes(Array(data))
        case .enum:
            return .varint(UInt64(bitPattern: Int64(try enumNumber(field.typeName, input, value, path: path))))
        case .message, .group:
            throw DynamicJSONError(.unsupported, path: path, "\(DynamicJSONError.subject(path)): not a scalar field")
        }
    }

    private func floatingPoint(_ input: JSONInput, _ value: Any, path: String, type: String) throws(DynamicJSONError) -> Double {
        switch input {
        case let .int(number): return Double(number)
        case let .uint(number): return Double(number)
        case let .double(number): return number
        case let .string(text):
            switch text {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default:
                guard Self.isDecimal(text), let number = Double(text), number.isFinite else { throw .badValue(path, "\"\(text)\" is not a number") }
                return number
            }
        default:
            throw .wrongType(path, expected: "a number (\(type))", got: value)
        }
    }

    private func signed(_ input: JSONInput, _ value: Any, path: String, type: String, min: Int64, max: Int64) throws(DynamicJSONError) -> Int64 {
        let number: Int64?
        let shown: String
        switch input {
        case let .int(integer): (number, shown) = (integer, String(integer))
        case let .uint(integer): (number, shown) = (Int64(exactly: integer), String(integer))
        case let .double(double): (number, shown) = (try Self.integral(double, path: path), "\(double)")
        case let .string(text):
            if let integer = Int64(text) {
                (number, shown) = (integer, text)
            } else if Self.isDecimal(text), let double = Double(text) {
                (number, shown) = (try Self.integral(double, path: path), text)
            } else if UInt64(text) != nil {
                (number, shown) = (nil, text)
            } else {
                throw .badValue(path, "\"\(text)\" is not an integer (\(type))")
            }
        default:
            throw .wrongType(path, expected: "an integer (\(type))", got: value)
        }
        guard let number, number >= min, number <= max else { throw .badValue(path, "\(shown) is out of range for \(type)") }
        return number
    }

    private func unsigned(_ input: JSONInput, _ value: Any, path: String, type: String, max: UInt64) throws(DynamicJSONError) -> UInt64 {
        let number: UInt64?
        let shown: String
        switch input {
        case let .int(integer): (number, shown) = (UInt64(exactly: integer), String(integer))
        case let .uint(integer): (number, shown) = (integer, String(integer))
        case let .double(double): (number, shown) = (try Self.integral(double, path: path).flatMap { UInt64(exactly: $0) }, "\(double)")
        case let .string(text):
            if let integer = UInt64(text) {
                (number, shown) = (integer, text)
            } else if Int64(text) != nil {
                (number, shown) = (nil, text)
            } else if Self.isDecimal(text), let double = Double(text) {
                (number, shown) = (try Self.integral(double, path: path).flatMap { UInt64(exactly: $0) }, text)
            } else {
                throw .badValue(path, "\"\(text)\" is not an integer (\(type))")
            }
        default:
            throw .wrongType(path, expected: "an integer (\(type))", got: value)
        }
        guard let number, number <= max else { throw .badValue(path, "\(shown) is out of range for \(type)") }
        return number
    }

    /// A whole double as an integer; nil when it is whole but beyond Int64.
    private static func integral(_ double: Double, path: String) throws(DynamicJSONError) -> Int64? {
        guard double.isFinite, double.rounded(.towardZero) == double else {
            throw .badValue(path, "\(double) is not an integer")
        }
        return Int64(exactly: double)
    }

    private func enumNumber(_ typeName: String, _ input: JSONInput, _ value: Any, path: String) throws(DynamicJSONError) -> Int32 {
        if typeName == "google.protobuf.NullValue", case .null = input { return 0 }
        guard let enumType = pool.enumType(named: typeName) else { throw unknownType(typeName, path) }
        switch input {
        case let .string(name):
            if let number = enumType.number(named: name) { return number }
            if let number = Int32(name) { return number }
            let names = enumType.values.map(\.name).joined(separator: ", ")
            throw .badValue(path, "\"\(name)\" is not a value of enum \(typeName) (one of \(names), or a number)")
        case .int, .uint, .double:
            return Int32(try signed(input, value, path: path, type: typeName, min: Int64(Int32.min), max: Int64(Int32.max)))
        default:
            throw .wrongType(path, expected: "an enum value name or number (\(typeName))", got: value)
        }
    }

    /// Whether text is a plain decimal number such as "12", "-1.5" or "1e3" (not "0x10", "nan" or "inf").
    static func isDecimal(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { "0123456789+-.eE".contains($0) }
    }

    /// Decodes standard or URL-safe base64, with or without padding.
    static func base64Decode(_ text: String) -> Data? {
        var normalized = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if normalized.count % 4 != 0 { normalized += String(repeating: "=", count: 4 - normalized.count % 4) }
        return Data(base64Encoded: normalized)
    }
}
