/// A fully-qualified protobuf service name, e.g. `coi.wiki.v1.Pages`.
///
/// Generated code declares one per service (`Coi_Wiki_V1_Pages.service`); plugins list theirs and
/// the router keys routes by it, so no service name is typed twice.
public struct RPCService: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The fully-qualified name.
    public let name: String

    /// Creates a service name.
    /// - Parameter name: The fully-qualified name, as in the `.proto` file.
    public init(_ name: String) {
        self.name = name
    }

    public var description: String { name }

    public static func < (lhs: RPCService, rhs: RPCService) -> Bool { lhs.name < rhs.name }
}
