import COIJSON
import COIPluginKit
import COIProto
import COIWire
import Foundation
import Testing

/// Issue 10, items 1 and 4: every string field of every request message of every method refuses
/// NUL, and every enum field refuses a number its enum does not declare, naming the field.
@Suite struct RequestScreenTests {
    static let pool = try! DescriptorPool(serializedFileDescriptorSet: Data(base64Encoded: coiDescriptorSetBase64)!)

    /// One field reachable from a request, with the path of fields leading to it.
    struct Reachable {
        var path: [FieldDescriptor]
        var name: String { path.map(\.name).joined(separator: ".") }
    }

    /// String or enum fields reachable from a message, through nested messages up to a depth.
    func reachable(_ message: MessageDescriptor, kind: FieldDescriptor.Kind, depth: Int = 0, seen: Set<String> = []) -> [Reachable] {
        guard depth < 4, !seen.contains(message.fullName) else { return [] }
        var result: [Reachable] = []
        for field in message.fields {
            if field.kind == kind { result.append(Reachable(path: [field])) }
            if field.kind == .message, !field.typeName.hasPrefix("google.protobuf."), let inner = Self.pool.message(named: field.typeName) {
                result += reachable(inner, kind: kind, depth: depth + 1, seen: seen.union([message.fullName])).map {
                    Reachable(path: [field] + $0.path)
                }
            }
        }
        return result
    }

    func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        return bytes + [UInt8(value)]
    }

    /// The serialized request holding `leaf` (already encoded after its tag) at the end of `path`.
    func encode(_ path: [FieldDescriptor], leaf: (wireType: UInt64, bytes: [UInt8])) -> [UInt8] {
        var bytes = varint(UInt64(path.last!.number) << 3 | leaf.wireType) + leaf.bytes
        for field in path.dropLast().reversed() {
            bytes = varint(UInt64(field.number) << 3 | 2) + varint(UInt64(bytes.count)) + bytes
        }
        return bytes
    }

    /// Every request type of every method in the API.
    var requestTypes: [MessageDescriptor] {
        let names = Set(Self.pool.serviceNames.flatMap { Self.pool.service(named: $0)?.methods.map(\.inputType) ?? [] })
        return names.sorted().compactMap { Self.pool.message(named: $0) }
    }

    func refusal(_ bytes: [UInt8], _ type: MessageDescriptor) -> RPCError? {
        do {
            try RequestScreen.check(bytes, messageName: type.fullName)
            return nil
        } catch {
            return error as? RPCError
        }
    }

    @Test func everyStringFieldOfEveryRequestRefusesNUL() {
        var checked = 0
        for type in requestTypes {
            for field in reachable(type, kind: .string) {
                let text = Array("before\u{0}after".utf8)
                let bytes = encode(field.path, leaf: (2, varint(UInt64(text.count)) + text))
                let error = refusal(bytes, type)
                #expect(error?.code == .invalidArgument && error?.fieldViolations.first?.field == field.name,
                        "\(type.fullName).\(field.name): \(String(describing: error))")
                let clean = Array("before after".utf8)
                #expect(refusal(encode(field.path, leaf: (2, varint(UInt64(clean.count)) + clean)), type) == nil)
                checked += 1
            }
        }
        #expect(checked > 50, "only \(checked) string fields found")
    }

    @Test func everyEnumFieldOfEveryRequestRefusesUnknownNumbers() {
        var checked = 0
        for type in requestTypes {
            for field in reachable(type, kind: .enum) {
                let error = refusal(encode(field.path, leaf: (0, varint(99))), type)
                #expect(error?.code == .invalidArgument && error?.fieldViolations.first?.field == field.name,
                        "\(type.fullName).\(field.name): \(String(describing: error))")
                #expect(refusal(encode(field.path, leaf: (0, varint(1))), type) == nil)
                checked += 1
            }
        }
        #expect(checked > 10, "only \(checked) enum fields found")
    }
}
