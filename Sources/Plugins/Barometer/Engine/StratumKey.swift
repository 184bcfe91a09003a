/// A stratum: the values of the design's stratification variables, in the design's variable order.
///
/// With no stratification variables there is one stratum, whose key has no values.
public struct StratumKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var values: [String]

    /// Creates a key.
    /// - Parameter values: The values, one per stratification variable.
    public init(_ values: [String]) {
        self.values = values
    }

    /// Keys sort value by value, each by UTF-8 bytes, so the order is the same on every machine.
    public static func < (lhs: StratumKey, rhs: StratumKey) -> Bool {
        for (left, right) in zip(lhs.values, rhs.values) where left != right {
            return ByteOrder.precedes(left, right)
        }
        return lhs.values.count < rhs.values.count
    }

    /// The values joined by " / ", or "(all)" for the single stratum of an unstratified design.
    public var description: String {
        values.isEmpty ? "(all)" : values.joined(separator: " / ")
    }
}
