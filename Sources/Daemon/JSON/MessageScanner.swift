/// One string or enum value met while scanning a serialized message, with the field path that holds it.
public enum ScannedValue: Sendable {
    /// A `string` field's UTF-8 bytes, a slice of the message (not copied: a request may be 4 MiB);
    /// the scanner does not check the encoding, the decoder did.
    case string(ArraySlice<UInt8>)
    /// An enum field's number and its type; the number may be one the type does not declare.
    case enumNumber(Int32, EnumDescriptor)
}

extension DescriptorPool {
    /// Walks a serialized message by its descriptor and reports every string and enum value in it,
    /// however deeply nested (repeated, packed, map and oneof fields included).
    ///
    /// This is how the plugin kit checks every field of every request in one place, without each
    /// handler having to remember every field: field paths come from the descriptor
    /// (`case_fields.sector`, `entries.title`), so an error can name the field.
    /// - Parameters:
    ///   - bytes: The serialized message.
    ///   - messageName: Its fully-qualified type name.
    ///   - visit: Called with the field path (`.proto` names joined by dots) and the value; may throw to stop.
    /// - Throws: What `visit` throws; malformed input and unknown types are skipped, not reported,
    ///   because the typed decoder is the one that judges well-formedness.
    public func scan(_ bytes: [UInt8], as messageName: String,
                     visit: (String, ScannedValue) throws -> Void) throws {
        guard let message = message(named: messageName) else { return }
        do {
            try scanMessage(bytes, message, path: "", depth: 0, visit: visit)
        } catch is ProtoReader.Malformed {
            return
        }
    }

    private func scanMessage(_ bytes: [UInt8], _ message: MessageDescriptor, path: String, depth: Int,
                             visit: (String, ScannedValue) throws -> Void) throws {
        guard depth < 64 else { return }
        var reader = ProtoReader(bytes)
        while !reader.isAtEnd {
            let (number, wireType) = try reader.readTag()
            guard let field = message.field(number: number) else {
                try reader.skip(wireType, number: number)
                continue
            }
            let fieldPath = path.isEmpty ? field.name : path + "." + field.name
            switch (field.kind, wireType) {
            case (.string, .lengthDelimited):
                try visit(fieldPath, .string(bytes[try reader.readLengthDelimitedRange()]))
            case (.message, .lengthDelimited):
                let inner = try reader.readLengthDelimited()
                if let type = self.message(named: field.typeName) {
                    try scanMessage(inner, type, path: fieldPath, depth: depth + 1, visit: visit)
                }
            case (.enum, .varint):
                let number = Int32(truncatingIfNeeded: try reader.readVarint())
                if let type = enumType(named: field.typeName) { try visit(fieldPath, .enumNumber(number, type)) }
            case (.enum, .lengthDelimited):
                var packed = ProtoReader(try reader.readLengthDelimited())
                let type = enumType(named: field.typeName)
                while !packed.isAtEnd {
                    let number = Int32(truncatingIfNeeded: try packed.readVarint())
                    if let type { try visit(fieldPath, .enumNumber(number, type)) }
                }
            default:
                try reader.skip(wireType, number: number)
            }
        }
    }
}
