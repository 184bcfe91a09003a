import COIWire
import Foundation

/// Opaque page tokens for keyset pagination: the sort key of the last row sent, base64url-encoded.
///
/// Keyset rather than OFFSET keeps every page as cheap as the first and stable while rows are
/// added. Clients must treat the token as opaque; a token that does not decode is INVALID_ARGUMENT.
public enum PageToken {
    /// The default page size when a request gives none.
    public static let defaultSize = 100
    /// The largest page size a request may ask for.
    public static let maxSize = 500

    /// Encodes a sort key.
    /// - Parameter key: The last row's sort key (e.g. its rowid).
    /// - Returns: The token.
    public static func encode(_ key: Int64) -> String {
        Base64URL.encode(Data("k:\(key)".utf8))
    }

    /// Decodes a token; empty means the first page.
    /// - Parameters:
    ///   - token: The token from the request.
    ///   - field: The request field, for the error.
    /// - Returns: The sort key after which the page starts, or nil for the first page.
    /// - Throws: INVALID_ARGUMENT naming the field.
    public static func decode(_ token: String, field: String = "page_token") throws -> Int64? {
        if token.isEmpty { return nil }
        guard let data = Base64URL.decode(token), let text = String(data: data, encoding: .utf8),
              text.hasPrefix("k:"), let key = Int64(text.dropFirst(2)) else {
            throw RPCError.invalidField(field, "is not a page token this server issued")
        }
        return key
    }

    /// Validates a requested page size.
    /// - Parameters:
    ///   - size: The requested size; 0 means the default.
    ///   - field: The request field, for the error.
    /// - Returns: The size to use.
    /// - Throws: INVALID_ARGUMENT when negative or above `maxSize`.
    public static func size(_ size: Int32, field: String = "page_size") throws -> Int {
        if size == 0 { return defaultSize }
        guard size > 0, Int(size) <= maxSize else {
            throw RPCError.invalidField(field, "must be between 1 and \(maxSize), is \(size)")
        }
        return Int(size)
    }
}
