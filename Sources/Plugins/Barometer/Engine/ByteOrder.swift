/// The one string order the engine uses wherever order decides an outcome (units within a stratum,
/// strata, ties in allocation, categories in output): UTF-8 bytes, compared lexicographically.
///
/// Swift's `<` on `String` follows Unicode canonical equivalence, which is right for people but ties
/// the draw to the Unicode tables of a Swift release; bytes never change.
enum ByteOrder {
    /// Whether `a` sorts before `b` by UTF-8 bytes.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// FNV-1a (64-bit) over the UTF-8 of each part followed by 0x1F, to give each stratum its own stream.
    static func fnv1a(_ parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for part in parts {
            for byte in part.utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
            hash = (hash ^ 0x1F) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
