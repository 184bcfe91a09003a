/// Appends protobuf binary encoding: tags, varints, fixed-width values and length-delimited bytes.
struct ProtoWriter {
    /// The protobuf wire types.
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5
    }

    private(set) var bytes: [UInt8] = []

    mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func writeTag(_ number: Int32, _ wireType: WireType) {
        writeVarint(UInt64(UInt32(bitPattern: number) << 3 | UInt32(wireType.rawValue)))
    }

    mutating func writeFixed32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func writeFixed64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func writeLengthDelimited(_ payload: [UInt8]) {
        writeVarint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    /// Writes one scalar without its tag.
    mutating func write(_ scalar: ProtoScalar) {
        switch scalar {
        case let .varint(value): writeVarint(value)
        case let .fixed32(value): writeFixed32(value)
        case let .fixed64(value): writeFixed64(value)
        case let .bytes(value): writeLengthDelimited(value)
        }
    }

    /// Writes one field: its tag, then the scalar.
    mutating func writeField(_ number: Int32, _ scalar: ProtoScalar) {
        writeTag(number, scalar.wireType)
        write(scalar)
    }
}

/// One encoded value as it goes on the wire.
enum ProtoScalar: Equatable {
    case varint(UInt64)
    case fixed32(UInt32)
    case fixed64(UInt64)
    case bytes([UInt8])

    var wireType: ProtoWriter.WireType {
        switch self {
        case .varint: .varint
        case .fixed32: .fixed32
        case .fixed64: .fixed64
        case .bytes: .lengthDelimited
        }
    }

    /// Whether this is the proto3 default (zero, or empty bytes).
    var isZero: Bool {
        switch self {
        case let .varint(value): value == 0
        case let .fixed32(value): value == 0
        case let .fixed64(value): value == 0
        case let .bytes(value): value.isEmpty
        }
    }
}
