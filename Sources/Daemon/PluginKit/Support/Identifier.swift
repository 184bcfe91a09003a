/// Opaque record ids: a short prefix naming the kind and 16 random base32 characters (80 bits).
public enum Identifier {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    /// A new id such as "acc_7k2m9q…".
    /// - Parameter prefix: The kind, e.g. "acc".
    /// - Returns: The id.
    public static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        var id = prefix + "_"
        for _ in 0..<16 { id.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
        return id
    }
}
