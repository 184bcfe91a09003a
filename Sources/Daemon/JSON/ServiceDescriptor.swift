/// A service and its methods, as declared in a .proto file.
public struct ServiceDescriptor: Sendable, Equatable {
    /// One rpc of the service.
    public struct Method: Sendable, Equatable {
        /// The method name, e.g. `Echo`.
        public let name: String
        /// The fully-qualified request message type.
        public let inputType: String
        /// The fully-qualified reply message type.
        public let outputType: String
        /// Whether the client sends a stream of requests.
        public let clientStreaming: Bool
        /// Whether the server answers with a stream of replies.
        public let serverStreaming: Bool
    }

    /// The fully-qualified name, e.g. `coi.core.v1.Diagnostics`.
    public let fullName: String
    /// The .proto file that declares the service.
    public let file: String
    /// The methods in declaration order.
    public let methods: [Method]

    /// A method by name.
    /// - Parameter name: The method name, e.g. `Echo`.
    /// - Returns: The method, or nil when the service has none of that name.
    public func method(named name: String) -> Method? {
        methods.first { $0.name == name }
    }
}
