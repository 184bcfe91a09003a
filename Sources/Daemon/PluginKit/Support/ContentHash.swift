import Crypto

/// Content hashes as the daemon writes them: SHA-256 in lower-case hex (audit chain, revision hashes).
public enum ContentHash {
    /// The SHA-256 of a text's UTF-8 bytes, in lower-case hex.
    /// - Parameter text: The text.
    /// - Returns: 64 hex digits.
    public static func sha256Hex(_ text: String) -> String {
        hex(SHA256.hash(data: Array(text.utf8)))
    }

    /// Lower-case hex of bytes. Written by hand: `String(format: "%02x")` per byte was a tenth of
    /// the daemon's CPU on write-heavy loads.
    /// - Parameter bytes: The bytes.
    /// - Returns: Two hex digits per byte.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef".utf8)
}
