import COIPluginKit
import COIWire

/// The route table: finds the handler for service/method, or says which name is unknown.
struct Dispatcher: Sendable {
    let routes: [String: MethodRoute]
    let services: Set<String>

    init(router: Router) {
        routes = router.routes
        services = Set(router.routes.values.map(\.service))
    }

    /// The route for service/method, or UNIMPLEMENTED naming what is unknown.
    func route(service: String, method: String) throws(RPCError) -> MethodRoute {
        if let route = routes["\(service)/\(method)"] { return route }
        if services.contains(service) {
            throw RPCError(.unimplemented, "method \(method) is not part of service \(service)", reason: "UNKNOWN_METHOD")
        }
        throw RPCError(.unimplemented, "service \(service) is not served here", reason: "UNKNOWN_SERVICE")
    }
}
