public import COIJSON
public import COIRPC

/// Collects a plugin's handlers, keyed by "service/method".
public struct Router: Sendable {
    /// The routes registered so far.
    public private(set) var routes: [String: MethodRoute] = [:]
    /// Registration mistakes (duplicates), reported by the host as a start-up error of the plugin.
    public private(set) var problems: [String] = []
    /// The descriptors requests are screened by (`RequestScreen`): the compiled-in API's, plus the
    /// files of plugins that bring their own protos. The host sets it before a plugin registers.
    public var descriptors: DescriptorPool? = RequestScreen.pool

    public init() {}

    /// Registers a handler on serialized messages.
    /// - Parameters:
    ///   - rpc: The method, from generated code.
    ///   - access: Who may call it and whether it changes state.
    ///   - lifetime: Whether the method follows changes until the caller leaves (server streams only).
    ///   - cost: `.heavy` for a unary handler that computes for milliseconds outside the database.
    ///   - handler: The handler; its shape must be the method's.
    public mutating func register(_ rpc: AnyRPC, _ access: Access, lifetime: StreamLifetime = .finite, cost: RouteCost = .light,
                                  handler: RawHandler) {
        if access.effect == .write && !access.needsIdentity && !access.credentialInRequest {
            problems.append("method \(rpc.path) is a write open to anonymous callers")
        }
        if handler.kind != rpc.kind {
            problems.append("method \(rpc.path) is \(rpc.kind.rawValue) but its handler is \(handler.kind.rawValue)")
        }
        if lifetime == .longLived && !handler.kind.serverStreams {
            problems.append("method \(rpc.path) is declared long-lived but does not stream replies")
        }
        if cost == .heavy && handler.kind != .unary {
            // A stream's Data sent from the shared pool was overtaken by its final Response sent
            // from the loop (docs/architecture.md); until that is understood, streams stay on the loop.
            problems.append("method \(rpc.path) is declared heavy but is \(handler.kind.rawValue); only unary methods may be heavy")
        }
        let route = MethodRoute(rpc: rpc, access: access, handler: handler, lifetime: lifetime, cost: cost)
        if routes[route.path] != nil {
            problems.append("method \(route.path) registered twice")
        }
        routes[route.path] = route
    }

    /// Adds all routes of another router (the host merges plugins' routers this way).
    /// - Parameter other: The routes to add.
    public mutating func merge(_ other: Router) {
        for route in other.routes.values {
            register(route.rpc, route.access, lifetime: route.lifetime, cost: route.cost, handler: route.handler)
        }
        problems += other.problems
    }
}
