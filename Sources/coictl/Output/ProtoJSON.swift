import COIJSON
import COIProto
import COIWire
import Foundation
import SwiftProtobuf

/// The one JSON form of every message coictl prints, typed commands and `coictl call` alike:
/// proto field names (`full_name`), 64-bit integers as JSON numbers, enums by value name, and every
/// field without presence printed even at its default (`""`, `0`, `false`, `[]`), so scripts can
/// read a key without guessing whether it was left out. Messages and oneof members that are not
/// set are left out, as in the proto3 mapping.
///
/// It is built on the dynamic codec: a message is decoded against a descriptor pool (the compiled-in
/// `FileDescriptorSet`, or the daemon's from Reflection), then re-keyed and completed here.
struct ProtoJSON {
    let pool: DescriptorPool

    /// The pool of every type this coictl was built with.
    static let compiledIn: ProtoJSON = {
        let data = Data(base64Encoded: coiDescriptorSetBase64) ?? Data()
        return ProtoJSON(pool: (try? DescriptorPool(serializedFileDescriptorSet: data)) ?? DescriptorPool(files: []))
    }()

    /// A generated message as a JSON value.
    static func value(_ message: some SwiftProtobuf.Message) -> Any {
        let type = type(of: message).protoMessageName
        if let bytes: [UInt8] = try? message.serializedBytes(), let value = try? compiledIn.value(bytes, as: type) {
            return value
        }
        // Not in the descriptor set (cannot happen for generated types): swift-protobuf's own mapping.
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        options.alwaysPrintInt64sAsNumbers = true
        let text = (try? message.jsonString(options: options)) ?? "{}"
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) ?? [String: Any]()
    }

    /// A serialized message of a named type as a JSON value.
    /// - Throws: `DynamicJSONError` when the bytes are not a message of that type.
    func value(_ bytes: [UInt8], as type: String) throws(DynamicJSONError) -> Any {
        let raw = try DynamicJSONDecoder(pool: pool).decode(bytes, as: type)
        return normalise(raw, message: type)
    }

    /// Re-keys a decoded object from JSON names to proto names, turns 64-bit integer strings into
    /// numbers and adds the fields left out at their default.
    private func normalise(_ value: Any, message type: String) -> Any {
        guard let object = value as? [String: Any], let message = pool.message(named: type),
              !type.hasPrefix("google.protobuf.") else { return value }
        var result: [String: Any] = [:]
        for field in message.fields {
            if let present = object[field.jsonName] {
                result[field.name] = normalise(present, field: field)
            } else if let fallback = defaultValue(field) {
                result[field.name] = fallback
            }
        }
        return result
    }

    private func normalise(_ value: Any, field: FieldDescriptor) -> Any {
        if field.isMap {
            guard let map = value as? [String: Any], let entry = pool.message(named: field.typeName),
                  let valueField = entry.field(number: 2) else { return value }
            return map.mapValues { normaliseSingle($0, field: valueField) }
        }
        if field.isRepeated, let list = value as? [Any] {
            return list.map { normaliseSingle($0, field: field) }
        }
        return normaliseSingle(value, field: field)
    }

    private func normaliseSingle(_ value: Any, field: FieldDescriptor) -> Any {
        switch field.kind {
        case .message: return normalise(value, message: field.typeName)
        case .int64, .sint64, .sfixed64:
            if let text = value as? String, let number = Int64(text) { return number }
        case .uint64, .fixed64:
            if let text = value as? String, let number = UInt64(text) { return number }
        default: break
        }
        return value
    }

    /// What a field left out means, or nil when leaving it out is the answer (messages, oneof members).
    private func defaultValue(_ field: FieldDescriptor) -> Any? {
        if field.isMap { return [String: Any]() }
        if field.isRepeated { return [Any]() }
        if field.hasPresence { return nil }
        switch field.kind {
        case .string, .bytes: return ""
        case .bool: return false
        case .enum: return pool.enumType(named: field.typeName)?.name(of: 0) ?? 0
        case .double, .float: return 0.0
        case .message, .group: return nil
        default: return 0
        }
    }
}
