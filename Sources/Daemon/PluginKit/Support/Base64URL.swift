public import Foundation

/// Base64url without padding (RFC 4648 §5): the alphabet of tokens and page tokens, safe in URLs,
/// file names and shell arguments.
public enum Base64URL {
    /// Encodes bytes.
    /// - Parameter data: The bytes.
    /// - Returns: The text, without padding.
    public static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Decodes text, with or without padding.
    /// - Parameter text: The text.
    /// - Returns: The bytes, or nil when it is not base64url.
    public static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
