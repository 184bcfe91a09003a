public import SwiftProtobuf

/// A typed handle for one method: its service, name, request and reply types, and call shape.
///
/// `scripts/generate-protos.sh` emits one per rpc (`Coi_Wiki_V1_Pages.Method.get`); the router and
/// the client take these instead of strings, so a misspelt method or a wrong message type does not
/// compile. Modelled on grpc-swift-2's `MethodDescriptor`.
public struct RPC<Request: Message, Reply: Message>: Sendable, Hashable, CustomStringConvertible {
    /// The service the method belongs to.
    public let service: RPCService
    /// The method's name, as in the `.proto` file.
    public let method: String
    /// The call shape.
    public let kind: MethodKind

    /// Creates a handle; generated code is the only caller outside tests.
    /// - Parameters:
    ///   - service: The service.
    ///   - method: The method name.
    ///   - kind: The call shape.
    public init(service: RPCService, method: String, kind: MethodKind) {
        self.service = service
        self.method = method
        self.kind = kind
    }

    /// "service/method", the routing key.
    public var path: String { "\(service.name)/\(method)" }

    public var description: String { path }

    /// The handle without its message types, for lists of methods.
    public var erased: AnyRPC { AnyRPC(service: service, method: method, kind: kind) }
}

/// A method handle without its message types.
public struct AnyRPC: Sendable, Hashable, CustomStringConvertible {
    /// The service the method belongs to.
    public let service: RPCService
    /// The method's name.
    public let method: String
    /// The call shape.
    public let kind: MethodKind

    /// Creates a handle.
    /// - Parameters:
    ///   - service: The service.
    ///   - method: The method name.
    ///   - kind: The call shape.
    public init(service: RPCService, method: String, kind: MethodKind) {
        self.service = service
        self.method = method
        self.kind = kind
    }

    /// "service/method", the routing key.
    public var path: String { "\(service.name)/\(method)" }

    public var description: String { path }
}
