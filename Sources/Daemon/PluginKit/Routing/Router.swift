/// Collects a plugin's handlers, keyed by "service/method".
public struct Router: Sendable {
    /// The routes registered so far.
    public private(set) var routes: [String: MethodRoute] = [:]
    /// Registration mistakes (duplicates), reported by the host as a start-up error of the plugin.
    public private(set) var problems: [String] = []

    public init() {}

    /// Registers a handler on serialized messages.
    /// - Parameters:
    ///   - service: Fully-qualified service name.
    ///   - method: Method name.
    ///   - access: Who may call it and whether it changes state.
    ///   - handler: The handler.
    public mutating func register(_ service: String, _ method: String, _ access: Access, handler: RawHandler) {
        if access.effect == .write && !access.needsIdentity {
            problems.append("method \(service)/\(method) is a write open to anonymous callers")
        }
        let route = MethodRoute(service: service, method: method, access: access, handler: handler)
        if routes[route.path] != nil {
            problems.append("method \(route.path) registered twice")
        }
        routes[route.path] = route
    }

    /// Adds all routes of another router (the host merges plugins' routers this way).
    /// - Parameter other: The routes to add.
    public mutating func merge(_ other: Router) {
        for route in other.routes.values {
            register(route.service, route.method, route.access, handler: route.handler)
        }
        problems += other.problems
    }
}
