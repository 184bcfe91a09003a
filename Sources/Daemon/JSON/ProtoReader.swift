/// Reads protobuf binary encoding from a byte array, refusing truncated or malformed input.
struct ProtoReader {
    /// Malformed input; `message` says what was wrong.
    struct Malformed: Error {
        let message: String
    }

    private let bytes: [UInt8]
    private(set) var offset: Int
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
        end = bytes.count
    }

    var isAtEnd: Bool { offset >= end }

    mutating func readVarint() throws(Malformed) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end else { throw Malformed(message: "truncated varint") }
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw Malformed(message: "varint longer than 64 bits") }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw Malformed(message: "varint longer than 10 bytes") }
        }
    }

    /// Reads a tag: the field number and the wire type.
    mutating func readTag() throws(Malformed) -> (number: Int32, wireType: ProtoWriter.WireType) {
        let tag = try readVarint()
        guard tag <= UInt64(UInt32.max), let wireType = ProtoWriter.WireType(rawValue: UInt8(tag & 7)) else {
            throw Malformed(message: "invalid tag \(tag)")
        }
        let number = Int32(truncatingIfNeeded: tag >> 3)
        guard number > 0 else { throw Malformed(message: "invalid field number 0") }
        return (number, wireType)
    }

    mutating func readFixed32() throws(Malformed) -> UInt32 {
        guard end - offset >= 4 else { throw Malformed(message: "truncated fixed32") }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[offset + index]) << UInt32(8 * index) }
        offset += 4
        return value
    }

    mutating func readFixed64() throws(Malformed) -> UInt64 {
        guard end - offset >= 8 else { throw Malformed(message: "truncated fixed64") }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << UInt64(8 * index) }
        offset += 8
        return value
    }

    mutating func readLengthDelimited() throws(Malformed) -> [UInt8] {
        let length = try readVarint()
        guard length <= UInt64(end - offset) else { throw Malformed(message: "length \(length) runs past the end of the message") }
        let slice = Array(bytes[offset..<offset + Int(length)])
        offset += Int(length)
        return slice
    }

    /// Reads a length-delimited value's position without copying it.
    mutating func readLengthDelimitedRange() throws(Malformed) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - offset) else { throw Malformed(message: "length \(length) runs past the end of the message") }
        defer { offset += Int(length) }
        return offset..<offset + Int(length)
    }

    /// Reads one value of the given wire type as a scalar.
    mutating func readScalar(_ wireType: ProtoWriter.WireType) throws(Malformed) -> ProtoScalar {
        switch wireType {
        case .varint: .varint(try readVarint())
        case .fixed32: .fixed32(try readFixed32())
        case .fixed64: .fixed64(try readFixed64())
        case .lengthDelimited: .bytes(try readLengthDelimited())
        case .startGroup, .endGroup: throw Malformed(message: "groups are not supported")
        }
    }

    /// Skips the value of a field that is not in the descriptor.
    mutating func skip(_ wireType: ProtoWriter.WireType, number: Int32, depth: Int = 0) throws(Malformed) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed32: _ = try readFixed32()
        case .fixed64: _ = try readFixed64()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .startGroup:
            guard depth < 64 else { throw Malformed(message: "groups nested too deeply") }
            while true {
                let (inner, innerType) = try readTag()
                if innerType == .endGroup {
                    guard inner == number else { throw Malformed(message: "mismatched end of group \(number)") }
                    return
                }
                try skip(innerType, number: inner, depth: depth + 1)
            }
        case .endGroup: throw Malformed(message: "unexpected end of group \(number)")
        }
    }
}
