import COIProto
public import COIJSON
import COIWire
import Foundation

/// Checks every request message of every method before its handler sees it, field by field from the
/// API's descriptors, so no handler can forget a field:
///
/// - **No NUL in any string field.** GRDB binds a Swift string to SQLite as a C string
///   (`sqlite3_bind_text(…, -1, …)`) and reads it back with `String(cString:)`, so text was stored
///   cut at its first NUL while the call was acknowledged with the size and hash of the whole text.
///   No field can hold a NUL faithfully, so every field refuses it, and nothing is ever cut.
/// - **No unknown enum numbers.** Protobuf keeps a number the schema does not declare (as
///   `.UNRECOGNIZED(n)`); a handler would store or compare it as if it meant something.
///
/// Either refusal is INVALID_ARGUMENT naming the field (`case_fields.sector`), before anything changes.
public enum RequestScreen {
    /// The API's descriptors, compiled in.
    public static let pool: DescriptorPool? = Data(base64Encoded: coiDescriptorSetBase64)
        .flatMap { try? DescriptorPool(serializedFileDescriptorSet: $0) }

    /// Checks one serialized request.
    /// - Parameters:
    ///   - bytes: The request payload, already known to decode.
    ///   - messageName: Its fully-qualified type name.
    ///   - descriptors: The descriptors to screen by: the compiled-in API, or the router's when plugins
    ///     brought protos of their own.
    /// - Throws: INVALID_ARGUMENT naming the first bad field.
    public static func check(_ bytes: [UInt8], messageName: String, in descriptors: DescriptorPool? = pool) throws {
        guard let pool = descriptors, bytes.count > 0 else { return }
        try pool.scan(bytes, as: messageName) { path, value in
            switch value {
            case .string(let utf8):
                // memchr, not Sequence.contains: a 4 MiB text must cost microseconds, also in a debug build.
                if let found = utf8.withUnsafeBufferPointer({ $0.baseAddress.map { memchr($0, 0, utf8.count) } }), found != nil {
                    throw RPCError.invalidField(path, "must not contain NUL (U+0000)")
                }
            case .enumNumber(let number, let type):
                if type.name(of: number) == nil {
                    throw RPCError.invalidField(path, "\(number) is not a value of \(type.fullName)")
                }
            }
        }
    }
}
