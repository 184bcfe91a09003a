public import Foundation

/// Encodes JSON as protobuf binary for any message type of a `DescriptorPool`, following the proto3
/// JSON mapping.
///
/// Object keys may be a field's JSON name (`uptimeSeconds`) or its original name (`uptime_seconds`);
/// 64-bit integers may be numbers or strings; enums names or numbers; bytes standard or URL-safe
/// base64; `null` leaves a field unset. Timestamp, Duration, FieldMask, the wrappers, Struct, Value,
/// ListValue and Any take their special JSON forms. Anything else is an error naming the field.
public struct DynamicJSONEncoder: Sendable {
    /// The types the encoder knows.
    public let pool: DescriptorPool

    /// Deeper nesting than this is refused rather than risking the stack.
    static let maxDepth = 100

    /// Creates an encoder.
    /// - Parameter pool: The types to encode.
    public init(pool: DescriptorPool) {
        self.pool = pool
    }

    /// Encodes a JSON value as a message.
    /// - Parameters:
    ///   - json: The message as `JSONSerialization` returns it (`[String: Any]`, arrays, `NSNumber`,
    ///     `String`, `NSNull`); native Swift numbers, Bools and collections work too.
    ///   - messageType: The fully-qualified message type, e.g. `coi.core.v1.EchoRequest`.
    /// - Returns: The serialized message.
    /// - Throws: `DynamicJSONError` naming the field at fault.
    public func encode(_ json: Any, as messageType: String) throws(DynamicJSONError) -> [UInt8] {
        try encodeMessage(json, type: Self.strip(messageType), path: "", depth: 0)
    }

    /// Parses JSON text and encodes it as a message.
    /// - Parameters:
    ///   - jsonText: UTF-8 JSON text of one object.
    ///   - messageType: The fully-qualified message type.
    /// - Returns: The serialized message.
    /// - Throws: `DynamicJSONError` (`.syntax` when the text is not JSON).
    public func encode(jsonText: Data, as messageType: String) throws(DynamicJSONError) -> [UInt8] {
        try encode(try Self.parse(jsonText), as: messageType)
    }

    /// Parses JSON text with Foundation, any value at the top level.
    /// - Parameter jsonText: UTF-8 JSON text.
    /// - Returns: The value, as `JSONSerialization` returns it.
    /// - Throws: `DynamicJSONError` of kind `.syntax`.
    public static func parse(_ jsonText: Data) throws(DynamicJSONError) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: jsonText, options: [.fragmentsAllowed])
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw DynamicJSONError(.syntax, path: "", "not valid JSON: \(reason)")
        }
    }

    static func strip(_ name: String) -> String {
        name.hasPrefix(".") ? String(name.dropFirst()) : name
    }

    // MARK: - Messages and fields

    func encodeMessage(_ json: Any, type: String, path: String, depth: Int) throws(DynamicJSONError) -> [UInt8] {
        guard depth < Self.maxDepth else { throw .badValue(path, "nested more than \(Self.maxDepth) messages deep") }
        if let bytes = try encodeWellKnown(json, type: type, path: path, depth: depth) { return bytes }
        guard let message = pool.message(named: type) else { throw unknownType(type, path) }
        guard case let .object(object) = JSONInput(json) else { throw .wrongType(path, expected: "an object (\(type))", got: json) }

        var chosen: [(field: FieldDescriptor, value: Any, path: String)] = []
        var keyOfNumber: [Int32: String] = [:]
        var keyOfOneof: [Int: String] = [:]
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let fieldPath = DynamicJSONError.join(path, key)
            guard let field = message.field(jsonKey: key) else {
                let location = path.isEmpty ? "" : " (at \"\(fieldPath)\")"
                throw DynamicJSONError(.unknownField, path: fieldPath, "unknown field \"\(key)\" in \(type)\(location)")
            }
            if let other = keyOfNumber[field.number] {
                throw .badValue(fieldPath, "the field is also given as \"\(other)\"")
            }
            keyOfNumber[field.number] = key
            if case .null = JSONInput(value), field.typeName != WellKnownJSON.value || field.isRepeated { continue }
            if let oneof = field.oneofIndex {
                if let other = keyOfOneof[oneof] {
                    throw .badValue(fieldPath, "oneof \"\(message.oneofNames[oneof])\" is already set by \"\(other)\"")
                }
                keyOfOneof[oneof] = key
            }
            chosen.append((field, value, fieldPath))
        }

        var writer = ProtoWriter()
        for item in chosen.sorted(by: { $0.field.number < $1.field.number }) {
            try write(item.field, item.value, path: item.path, depth: depth, into: &writer)
        }
        return writer.bytes
    }

    private func write(_ field: FieldDescriptor, _ value: Any, path: String, depth: Int,
                       into writer: inout ProtoWriter) throws(DynamicJSONError) {
        if field.isMap {
            try writeMap(field, value, path: path, depth: depth, into: &writer)
        } else if field.isRepeated {
            guard case let .array(elements) = JSONInput(value) else {
                throw .wrongType(path, expected: "a list of \(field.typeDisplayName)", got: value)
            }
            if field.isPacked && field.isPackable {
                guard !elements.isEmpty else { return }
                var packed = ProtoWriter()
                for (index, element) in elements.enumerated() {
                    packed.write(try scalar(field, element, path: "\(path)[\(index)]"))
                }
                writer.writeField(field.number, .bytes(packed.bytes))
            } else {
                for (index, element) in elements.enumerated() {
                    try writeSingular(field, element, path: "\(path)[\(index)]", depth: depth, skipDefault: false, into: &writer)
                }
            }
        } else {
            try writeSingular(field, value, path: path, depth: depth, skipDefault: !field.hasPresence, into: &writer)
        }
    }

    private func writeMap(_ field: FieldDescriptor, _ value: Any, path: String, depth: Int,
                          into writer: inout ProtoWriter) throws(DynamicJSONError) {
        guard let entry = pool.message(named: field.typeName), let keyField = entry.field(number: 1),
              let valueField = entry.field(number: 2) else { throw unknownType(field.typeName, path) }
        guard case let .object(entries) = JSONInput(value) else {
            throw .wrongType(path, expected: "an object (map<\(keyField.typeDisplayName), \(valueField.typeDisplayName)>)", got: value)
        }
        for (key, value) in entries.sorted(by: { $0.key < $1.key }) {
            let entryPath = "\(path)[\"\(key)\"]"
            var entryWriter = ProtoWriter()
            entryWriter.writeField(1, try mapKey(key, keyField, path: entryPath))
            try writeSingular(valueField, value, path: entryPath, depth: depth, skipDefault: false, into: &entryWriter)
            writer.writeField(field.number, .bytes(entryWriter.bytes))
        }
    }

    private func writeSingular(_ field: FieldDescriptor, _ value: Any, path: String, depth: Int, skipDefault: Bool,
                               into writer: inout ProtoWriter) throws(DynamicJSONError) {
        switch field.kind {
        case .message:
            writer.writeField(field.number, .bytes(try encodeMessage(value, type: field.typeName, path: path, depth: depth + 1)))
        case .group:
            throw DynamicJSONError(.unsupported, path: path, "\(DynamicJSONError.subject(path)): groups are not supported")
        default:
            let encoded = try scalar(field, value, path: path)
            if skipDefault && encoded.isZero { return }
            writer.writeField(field.number, encoded)
        }
    }

    /// A map key: JSON object keys are strings, whatever the key type.
    private func mapKey(_ key: String, _ field: FieldDescriptor, path: String) throws(DynamicJSONError) -> ProtoScalar {
        switch field.kind {
        case .string: return .bytes(Array(key.utf8))
        case .bool:
            guard key == "true" || key == "false" else { throw .badValue(path, "map key \"\(key)\" is not true or false") }
            return .varint(key == "true" ? 1 : 0)
        default: return try scalar(field, key, path: path)
        }
    }

    func unknownType(_ type: String, _ path: String) -> DynamicJSONError {
        DynamicJSONError(.unknownType, path: path,
                         "\(DynamicJSONError.subject(path)): no descriptor for type \(type) (its .proto file was not provided)")
    }
}
