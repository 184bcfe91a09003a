public import Foundation
import SwiftProtobuf

/// Decodes protobuf binary to JSON for any message type of a `DescriptorPool`, following the proto3
/// JSON mapping.
///
/// Keys are JSON names (`uptimeSeconds`); 64-bit integers are strings; enums are names (numbers when
/// the value is not declared); bytes are base64; fields at their proto3 default are left out unless
/// they track presence. Repeated scalars are read packed or not. Fields not in the descriptor are
/// skipped. The result is made of `[String: Any]`, `[Any]`, `String`, `Int`, `Double`, `Bool` and
/// `NSNull`, ready for `JSONSerialization`.
public struct DynamicJSONDecoder: Sendable {
    /// The types the decoder knows.
    public let pool: DescriptorPool

    /// Creates a decoder.
    /// - Parameter pool: The types to decode.
    public init(pool: DescriptorPool) {
        self.pool = pool
    }

    /// Decodes a message to a JSON value.
    /// - Parameters:
    ///   - bytes: A serialized message.
    ///   - messageType: Its fully-qualified type, e.g. `coi.core.v1.EchoReply`.
    /// - Returns: The JSON value: an object, or a string, number or list for well-known types with special forms.
    /// - Throws: `DynamicJSONError` when the bytes are not a valid message of the type.
    public func decode(_ bytes: [UInt8], as messageType: String) throws(DynamicJSONError) -> Any {
        try decodeMessage(bytes, type: DynamicJSONEncoder.strip(messageType), path: "", depth: 0)
    }

    /// Decodes a message to JSON text.
    /// - Parameters:
    ///   - bytes: A serialized message.
    ///   - messageType: Its fully-qualified type.
    ///   - pretty: Indented over several lines rather than one.
    /// - Returns: UTF-8 JSON with sorted keys and unescaped slashes.
    /// - Throws: `DynamicJSONError` when the bytes are not a valid message of the type.
    public func jsonText(_ bytes: [UInt8], as messageType: String, pretty: Bool = false) throws(DynamicJSONError) -> Data {
        let value = try decode(bytes, as: messageType)
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        do {
            return try JSONSerialization.data(withJSONObject: value, options: options)
        } catch {
            throw DynamicJSONError(.unsupported, path: "", "cannot write JSON: \(error)")
        }
    }

    // MARK: - Messages and fields

    func decodeMessage(_ bytes: [UInt8], type: String, path: String, depth: Int) throws(DynamicJSONError) -> Any {
        guard depth < DynamicJSONEncoder.maxDepth else {
            throw .malformed(path, "nested more than \(DynamicJSONEncoder.maxDepth) messages deep")
        }
        if let special = try decodeWellKnown(bytes, type: type, path: path, depth: depth) { return special }
        guard let message = pool.message(named: type) else { throw unknownType(type, path) }

        var scalars: [Int32: (value: Any, isDefault: Bool)] = [:]
        var lists: [Int32: [Any]] = [:]
        var maps: [Int32: [String: Any]] = [:]
        // Occurrences of a singular message field merge, as concatenated bytes do.
        var submessages: [Int32: [UInt8]] = [:]
        var oneofMember: [Int: Int32] = [:]

        var reader = ProtoReader(bytes)
        while !reader.isAtEnd {
            let (number, wireType) = try read(path) { () throws(ProtoReader.Malformed) in try reader.readTag() }
            guard let field = message.field(number: number) else {
                try read(path) { () throws(ProtoReader.Malformed) in try reader.skip(wireType, number: number) }
                continue
            }
            let fieldPath = DynamicJSONError.join(path, field.jsonName)
            if field.kind == .group {
                throw DynamicJSONError(.unsupported, path: fieldPath, "\(DynamicJSONError.subject(fieldPath)): groups are not supported")
            }
            if field.isMap {
                let entry = try readValue(&reader, wireType, expected: .lengthDelimited, field: field, path: fieldPath)
                guard case let .bytes(entryBytes) = entry else { continue }
                let (key, value) = try decodeMapEntry(entryBytes, field: field, path: fieldPath, depth: depth)
                maps[number, default: [:]][key] = value
            } else if field.isRepeated {
                var list = lists[number] ?? []
                if wireType == .lengthDelimited && field.isPackable {
                    let packed = try read(path) { () throws(ProtoReader.Malformed) in try reader.readLengthDelimited() }
                    var inner = ProtoReader(packed)
                    let elementType = Self.wireType(of: field.kind)
                    while !inner.isAtEnd {
                        let elementPath = "\(fieldPath)[\(list.count)]"
                        let element = try read(elementPath) { () throws(ProtoReader.Malformed) in try inner.readScalar(elementType) }
                        list.append(try value(of: element, field, path: elementPath).value)
                    }
                } else {
                    let elementPath = "\(fieldPath)[\(list.count)]"
                    let element = try readValue(&reader, wireType, expected: Self.wireType(of: field.kind), field: field, path: elementPath)
                    if field.kind == .message, case let .bytes(elementBytes) = element {
                        list.append(try decodeMessage(elementBytes, type: field.typeName, path: elementPath, depth: depth + 1))
                    } else {
                        list.append(try value(of: element, field, path: elementPath).value)
                    }
                }
                lists[number] = list
            } else {
                let element = try readValue(&reader, wireType, expected: Self.wireType(of: field.kind), field: field, path: fieldPath)
                if let oneof = field.oneofIndex {
                    if let previous = oneofMember[oneof], previous != number {
                        scalars[previous] = nil
                        submessages[previous] = nil
                    }
                    oneofMember[oneof] = number
                }
                if field.kind == .message, case let .bytes(messageBytes) = element {
                    submessages[number, default: []] += messageBytes
                } else {
                    scalars[number] = try value(of: element, field, path: fieldPath)
                }
            }
        }

        var object: [String: Any] = [:]
        for field in message.fields {
            let fieldPath = DynamicJSONError.join(path, field.jsonName)
            if let list = lists[field.number], !list.isEmpty {
                object[field.jsonName] = list
            } else if let map = maps[field.number], !map.isEmpty {
                object[field.jsonName] = map
            } else if let messageBytes = submessages[field.number] {
                object[field.jsonName] = try decodeMessage(messageBytes, type: field.typeName, path: fieldPath, depth: depth + 1)
            } else if let scalar = scalars[field.number], field.hasPresence || !scalar.isDefault {
                object[field.jsonName] = scalar.value
            }
        }
        return object
    }

    /// One map entry: its key as a JSON object key and its value (defaults for missing parts).
    /// `path` is the map field's.
    private func decodeMapEntry(_ bytes: [UInt8], field: FieldDescriptor, path: String,
                                depth: Int) throws(DynamicJSONError) -> (String, Any) {
        guard let entry = pool.message(named: field.typeName), let keyField = entry.field(number: 1),
              let valueField = entry.field(number: 2) else { throw unknownType(field.typeName, path) }
        var key: ProtoScalar = Self.zero(of: keyField.kind)
        var value: ProtoScalar = Self.zero(of: valueField.kind)
        var valueBytes: [UInt8] = []
        var reader = ProtoReader(bytes)
        while !reader.isAtEnd {
            let (number, wireType) = try read(path) { () throws(ProtoReader.Malformed) in try reader.readTag() }
            switch number {
            case 1:
                key = try readValue(&reader, wireType, expected: Self.wireType(of: keyField.kind), field: keyField, path: path)
            case 2:
                value = try readValue(&reader, wireType, expected: Self.wireType(of: valueField.kind), field: valueField, path: path)
                if valueField.kind == .message, case let .bytes(more) = value { valueBytes += more }
            default:
                try read(path) { () throws(ProtoReader.Malformed) in try reader.skip(wireType, number: number) }
            }
        }
        let keyJSON = try self.value(of: key, keyField, path: path).value
        let keyText: String = switch keyJSON {
        case let flag as Bool: flag ? "true" : "false"
        default: "\(keyJSON)"
        }
        let entryPath = "\(path)[\"\(keyText)\"]"
        if valueField.kind == .message {
            return (keyText, try decodeMessage(valueBytes, type: valueField.typeName, path: entryPath, depth: depth + 1))
        }
        return (keyText, try self.value(of: value, valueField, path: entryPath).value)
    }

    /// Reads a field's value, checking it arrived with the wire type its type is written with.
    private func readValue(_ reader: inout ProtoReader, _ wireType: ProtoWriter.WireType, expected: ProtoWriter.WireType,
                           field: FieldDescriptor, path: String) throws(DynamicJSONError) -> ProtoScalar {
        guard wireType == expected else {
            throw .malformed(path, "wire type \(wireType.rawValue) for a \(field.typeDisplayName) field (expected \(expected.rawValue))")
        }
        return try read(path) { () throws(ProtoReader.Malformed) in try reader.readScalar(wireType) }
    }

    /// Runs a reader step, turning its failure into a `DynamicJSONError` at `path`.
    func read<T>(_ path: String, _ step: () throws(ProtoReader.Malformed) -> T) throws(DynamicJSONError) -> T {
        do {
            return try step()
        } catch {
            throw .malformed(path, error.message)
        }
    }

    func unknownType(_ type: String, _ path: String) -> DynamicJSONError {
        DynamicJSONError(.unknownType, path: path,
                         "\(DynamicJSONError.subject(path)): no descriptor for type \(type) (its .proto file was not provided)")
    }

    /// The wire type values of a kind are written with (packed lists aside).
    static func wireType(of kind: FieldDescriptor.Kind) -> ProtoWriter.WireType {
        switch kind {
        case .double, .fixed64, .sfixed64: .fixed64
        case .float, .fixed32, .sfixed32: .fixed32
        case .string, .bytes, .message: .lengthDelimited
        case .group: .startGroup
        default: .varint
        }
    }

    /// The zero value of a kind, as it would be read.
    static func zero(of kind: FieldDescriptor.Kind) -> ProtoScalar {
        switch wireType(of: kind) {
        case .fixed64: .fixed64(0)
        case .fixed32: .fixed32(0)
        case .lengthDelimited: .bytes([])
        default: .varint(0)
        }
    }
}
