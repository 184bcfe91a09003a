/// An enum type: its values by name and by number.
public struct EnumDescriptor: Sendable, Equatable {
    /// One value of the enum.
    public struct Value: Sendable, Equatable {
        /// The value's name, e.g. `SERVING`.
        public let name: String
        /// The value's number.
        public let number: Int32
    }

    /// The fully-qualified name, e.g. `grpc.health.v1.HealthCheckResponse.ServingStatus`.
    public let fullName: String
    /// The values in declaration order.
    public let values: [Value]

    init(fullName: String, values: [Value]) {
        self.fullName = fullName
        self.values = values
    }

    /// The value with a name.
    /// - Parameter name: A value name such as `SERVING`.
    /// - Returns: Its number, or nil when the enum has no such value.
    public func number(named name: String) -> Int32? {
        values.first { $0.name == name }?.number
    }

    /// The name of a number; the first declared when aliases share it.
    /// - Parameter number: A value number.
    /// - Returns: Its name, or nil for a number the enum does not declare.
    public func name(of number: Int32) -> String? {
        values.first { $0.number == number }?.name
    }
}
