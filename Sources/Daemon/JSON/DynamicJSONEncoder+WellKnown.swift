extension DynamicJSONEncoder {
    /// Encodes a well-known type that has a special JSON form; nil for every other type.
    func encodeWellKnown(_ json: Any, type: String, path: String, depth: Int) throws(DynamicJSONError) -> [UInt8]? {
        let input = JSONInput(json)
        var writer = ProtoWriter()
        switch type {
        case WellKnownJSON.timestamp:
            guard case let .string(text) = input else {
                throw .wrongType(path, expected: "an RFC 3339 string such as \"2024-05-01T12:00:00Z\" (google.protobuf.Timestamp)", got: json)
            }
            guard let (seconds, nanos) = WellKnownJSON.parseTimestamp(text) else {
                throw .badValue(path, "\"\(text)\" is not an RFC 3339 timestamp between years 1 and 9999, such as \"2024-05-01T12:00:00Z\"")
            }
            writeSecondsAndNanos(seconds, nanos, into: &writer)
        case WellKnownJSON.duration:
            guard case let .string(text) = input else {
                throw .wrongType(path, expected: "a string such as \"1.5s\" (google.protobuf.Duration)", got: json)
            }
            guard let (seconds, nanos) = WellKnownJSON.parseDuration(text) else {
                throw .badValue(path, "\"\(text)\" is not a duration such as \"1.5s\" or \"-30s\"")
            }
            writeSecondsAndNanos(seconds, nanos, into: &writer)
        case WellKnownJSON.fieldMask:
            guard case let .string(text) = input else {
                throw .wrongType(path, expected: "a string of comma-separated paths (google.protobuf.FieldMask)", got: json)
            }
            for fieldPath in WellKnownJSON.parseFieldMask(text) { writer.writeField(1, .bytes(Array(fieldPath.utf8))) }
        case WellKnownJSON.structType:
            guard case let .object(object) = input else { throw .wrongType(path, expected: "an object (google.protobuf.Struct)", got: json) }
            return try encodeStruct(object, path: path, depth: depth)
        case WellKnownJSON.value:
            return try encodeValue(json, path: path, depth: depth)
        case WellKnownJSON.listValue:
            guard case let .array(elements) = input else { throw .wrongType(path, expected: "a list (google.protobuf.ListValue)", got: json) }
            return try encodeList(elements, path: path, depth: depth)
        case WellKnownJSON.any:
            return try encodeAny(json, path: path, depth: depth)
        case WellKnownJSON.empty where pool.message(named: type) == nil:
            guard case let .object(object) = input else { throw .wrongType(path, expected: "an empty object (google.protobuf.Empty)", got: json) }
            if let key = object.keys.sorted().first {
                throw DynamicJSONError(.unknownField, path: DynamicJSONError.join(path, key), "unknown field \"\(key)\" in \(type)")
            }
        default:
            guard let kind = WellKnownJSON.wrappers[type] else { return nil }
            let encoded = try scalar(WellKnownJSON.wrapperField(kind), json, path: path)
            if !encoded.isZero { writer.writeField(1, encoded) }
        }
        return writer.bytes
    }

    private func writeSecondsAndNanos(_ seconds: Int64, _ nanos: Int32, into writer: inout ProtoWriter) {
        if seconds != 0 { writer.writeField(1, .varint(UInt64(bitPattern: seconds))) }
        if nanos != 0 { writer.writeField(2, .varint(UInt64(bitPattern: Int64(nanos)))) }
    }

    private func encodeStruct(_ object: [String: Any], path: String, depth: Int) throws(DynamicJSONError) -> [UInt8] {
        var writer = ProtoWriter()
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            var entry = ProtoWriter()
            entry.writeField(1, .bytes(Array(key.utf8)))
            entry.writeField(2, .bytes(try encodeValue(value, path: DynamicJSONError.join(path, key), depth: depth + 1)))
            writer.writeField(1, .bytes(entry.bytes))
        }
        return writer.bytes
    }

    private func encodeList(_ elements: [Any], path: String, depth: Int) throws(DynamicJSONError) -> [UInt8] {
        var writer = ProtoWriter()
        for (index, element) in elements.enumerated() {
            writer.writeField(1, .bytes(try encodeValue(element, path: "\(path)[\(index)]", depth: depth + 1)))
        }
        return writer.bytes
    }

    private func encodeValue(_ json: Any, path: String, depth: Int) throws(DynamicJSONError) -> [UInt8] {
        guard depth < Self.maxDepth else { throw .badValue(path, "nested more than \(Self.maxDepth) values deep") }
        var writer = ProtoWriter()
        switch JSONInput(json) {
        case .null: writer.writeField(1, .varint(0))
        case let .int(number): writer.writeField(2, .fixed64(Double(number).bitPattern))
        case let .uint(number): writer.writeField(2, .fixed64(Double(number).bitPattern))
        case let .double(number): writer.writeField(2, .fixed64(number.bitPattern))
        case let .string(text): writer.writeField(3, .bytes(Array(text.utf8)))
        case let .bool(flag): writer.writeField(4, .varint(flag ? 1 : 0))
        case let .object(object): writer.writeField(5, .bytes(try encodeStruct(object, path: path, depth: depth + 1)))
        case let .array(elements): writer.writeField(6, .bytes(try encodeList(elements, path: path, depth: depth + 1)))
        case .other: throw .wrongType(path, expected: "a JSON value (google.protobuf.Value)", got: json)
        }
        return writer.bytes
    }

    /// `{"@type": "type.googleapis.com/pkg.Type", …fields}`, or `"value"` for types with a special JSON form.
    private func encodeAny(_ json: Any, path: String, depth: Int) throws(DynamicJSONError) -> [UInt8] {
        guard case var .object(object) = JSONInput(json) else {
            throw .wrongType(path, expected: "an object with \"@type\" (google.protobuf.Any)", got: json)
        }
        guard let rawURL = object.removeValue(forKey: "@type") else {
            if object.isEmpty { return [] }
            throw .badValue(path, "a google.protobuf.Any needs \"@type\", e.g. \"type.googleapis.com/coi.core.v1.ErrorDetail\"")
        }
        let typePath = DynamicJSONError.join(path, "@type")
        guard case let .string(typeURL) = JSONInput(rawURL) else { throw .wrongType(typePath, expected: "a type URL string", got: rawURL) }
        guard let slash = typeURL.lastIndex(of: "/"), typeURL.index(after: slash) < typeURL.endIndex else {
            throw .badValue(typePath, "\"\(typeURL)\" is not a type URL such as \"type.googleapis.com/coi.core.v1.ErrorDetail\"")
        }
        let inner = String(typeURL[typeURL.index(after: slash)...])
        guard WellKnownJSON.isSpecial(inner) || inner == WellKnownJSON.empty || pool.message(named: inner) != nil else {
            throw DynamicJSONError(.unsupported, path: typePath,
                                   "\(DynamicJSONError.subject(typePath)): google.protobuf.Any holding \(inner) is not supported: no descriptor for it")
        }
        let payload: [UInt8]
        if WellKnownJSON.isSpecial(inner) {
            if let key = object.keys.sorted().first(where: { $0 != "value" }) {
                throw DynamicJSONError(.unknownField, path: DynamicJSONError.join(path, key),
                                       "unknown field \"\(key)\" in google.protobuf.Any holding \(inner) (only \"@type\" and \"value\")")
            }
            guard let value = object["value"] else { throw .badValue(path, "a google.protobuf.Any holding \(inner) needs \"value\"") }
            payload = try encodeMessage(value, type: inner, path: DynamicJSONError.join(path, "value"), depth: depth + 1)
        } else {
            payload = try encodeMessage(object, type: inner, path: path, depth: depth + 1)
        }
        var writer = ProtoWriter()
        writer.writeField(1, .bytes(Array(typeURL.utf8)))
        if !payload.isEmpty { writer.writeField(2, .bytes(payload)) }
        return writer.bytes
    }
}
