import Foundation

extension DynamicJSONDecoder {
    /// Decodes a well-known type that has a special JSON form; nil for every other type.
    func decodeWellKnown(_ bytes: [UInt8], type: String, path: String, depth: Int) throws(DynamicJSONError) -> Any? {
        switch type {
        case WellKnownJSON.timestamp:
            let (seconds, nanos) = try secondsAndNanos(bytes, path: path)
            guard let text = WellKnownJSON.formatTimestamp(seconds: seconds, nanos: nanos) else {
                throw .badValue(path, "timestamp \(seconds)s \(nanos)ns is outside years 1 to 9999")
            }
            return text
        case WellKnownJSON.duration:
            let (seconds, nanos) = try secondsAndNanos(bytes, path: path)
            guard let text = WellKnownJSON.formatDuration(seconds: seconds, nanos: nanos) else {
                throw .badValue(path, "duration \(seconds)s \(nanos)ns is out of range or has mixed signs")
            }
            return text
        case WellKnownJSON.fieldMask:
            var paths: [String] = []
            for (number, value) in try fields(bytes, path: path) where number == 1 {
                guard case let .bytes(raw) = value, let text = String(validating: raw, as: UTF8.self) else {
                    throw .malformed(path, "a field mask path that is not a string")
                }
                paths.append(text)
            }
            return WellKnownJSON.formatFieldMask(paths)
        case WellKnownJSON.structType:
            return try decodeStruct(bytes, path: path, depth: depth)
        case WellKnownJSON.value:
            return try decodeValue(bytes, path: path, depth: depth)
        case WellKnownJSON.listValue:
            return try decodeList(bytes, path: path, depth: depth)
        case WellKnownJSON.any:
            return try decodeAny(bytes, path: path, depth: depth)
        case WellKnownJSON.empty where pool.message(named: type) == nil:
            return [String: Any]()
        default:
            guard let kind = WellKnownJSON.wrappers[type] else { return nil }
            let field = WellKnownJSON.wrapperField(kind)
            var result = try value(of: Self.zero(of: kind), field, path: path).value
            for (number, raw) in try fields(bytes, path: path) where number == 1 {
                result = try value(of: raw, field, path: path).value
            }
            return result
        }
    }

    /// Every field of a message, in order, without a descriptor.
    private func fields(_ bytes: [UInt8], path: String) throws(DynamicJSONError) -> [(Int32, ProtoScalar)] {
        var reader = ProtoReader(bytes)
        var result: [(Int32, ProtoScalar)] = []
        while !reader.isAtEnd {
            let (number, wireType) = try read(path) { () throws(ProtoReader.Malformed) in try reader.readTag() }
            result.append((number, try read(path) { () throws(ProtoReader.Malformed) in try reader.readScalar(wireType) }))
        }
        return result
    }

    private func secondsAndNanos(_ bytes: [UInt8], path: String) throws(DynamicJSONError) -> (Int64, Int32) {
        var seconds: Int64 = 0
        var nanos: Int32 = 0
        for (number, value) in try fields(bytes, path: path) {
            switch (number, value) {
            case let (1, .varint(raw)): seconds = Int64(bitPattern: raw)
            case let (2, .varint(raw)): nanos = Int32(truncatingIfNeeded: raw)
            default: break
            }
        }
        return (seconds, nanos)
    }

    private func decodeStruct(_ bytes: [UInt8], path: String, depth: Int) throws(DynamicJSONError) -> [String: Any] {
        var object: [String: Any] = [:]
        for (number, entry) in try fields(bytes, path: path) where number == 1 {
            guard case let .bytes(entryBytes) = entry else { throw .malformed(path, "a Struct entry that is not a message") }
            var key = ""
            var valueBytes: [UInt8] = []
            for (entryNumber, part) in try fields(entryBytes, path: path) {
                switch (entryNumber, part) {
                case let (1, .bytes(raw)):
                    guard let text = String(validating: raw, as: UTF8.self) else { throw .malformed(path, "a Struct key that is not UTF-8") }
                    key = text
                case let (2, .bytes(raw)): valueBytes += raw
                default: break
                }
            }
            object[key] = try decodeValue(valueBytes, path: DynamicJSONError.join(path, key), depth: depth + 1)
        }
        return object
    }

    private func decodeList(_ bytes: [UInt8], path: String, depth: Int) throws(DynamicJSONError) -> [Any] {
        var list: [Any] = []
        for (number, element) in try fields(bytes, path: path) where number == 1 {
            guard case let .bytes(elementBytes) = element else { throw .malformed(path, "a ListValue element that is not a message") }
            list.append(try decodeValue(elementBytes, path: "\(path)[\(list.count)]", depth: depth + 1))
        }
        return list
    }

    private func decodeValue(_ bytes: [UInt8], path: String, depth: Int) throws(DynamicJSONError) -> Any {
        guard depth < DynamicJSONEncoder.maxDepth else { throw .malformed(path, "nested more than \(DynamicJSONEncoder.maxDepth) values deep") }
        var result: Any = NSNull()
        for (number, part) in try fields(bytes, path: path) {
            switch (number, part) {
            case (1, .varint): result = NSNull()
            case let (2, .fixed64(bits)): result = Self.json(Double(bitPattern: bits))
            case let (3, .bytes(raw)):
                guard let text = String(validating: raw, as: UTF8.self) else { throw .malformed(path, "a string that is not UTF-8") }
                result = text
            case let (4, .varint(raw)): result = raw != 0
            case let (5, .bytes(raw)): result = try decodeStruct(raw, path: path, depth: depth + 1)
            case let (6, .bytes(raw)): result = try decodeList(raw, path: path, depth: depth + 1)
            default: break
            }
        }
        return result
    }

    private func decodeAny(_ bytes: [UInt8], path: String, depth: Int) throws(DynamicJSONError) -> [String: Any] {
        var typeURL = ""
        var payload: [UInt8] = []
        for (number, part) in try fields(bytes, path: path) {
            switch (number, part) {
            case let (1, .bytes(raw)): typeURL = String(decoding: raw, as: UTF8.self)
            case let (2, .bytes(raw)): payload = raw
            default: break
            }
        }
        if typeURL.isEmpty && payload.isEmpty { return [:] }
        let inner = typeURL.lastIndex(of: "/").map { String(typeURL[typeURL.index(after: $0)...]) } ?? typeURL
        guard WellKnownJSON.isSpecial(inner) || inner == WellKnownJSON.empty || pool.message(named: inner) != nil else {
            throw DynamicJSONError(.unsupported, path: path,
                                   "\(DynamicJSONError.subject(path)): google.protobuf.Any holding \(inner) is not supported: no descriptor for it")
        }
        let decoded = try decodeMessage(payload, type: inner, path: path, depth: depth + 1)
        if WellKnownJSON.isSpecial(inner) { return ["@type": typeURL, "value": decoded] }
        var object = decoded as? [String: Any] ?? [:]
        object["@type"] = typeURL
        return object
    }
}
