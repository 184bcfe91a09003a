import COIPluginKit
import COIWire

/// The route table: finds the handler for service/method, or says which name is unknown.
struct Dispatcher: Sendable {
    /// Routes by service, then method: a lookup hashes the two names as they came off the wire,
    /// without building "service/method" for every call (issue 15).
    let routes: [String: [String: MethodRoute]]
    /// Every route, at its `index`.
    let table: [MethodRoute]

    init(router: Router) {
        var routes: [String: [String: MethodRoute]] = [:]
        var table: [MethodRoute] = []
        for (index, var route) in router.routes.values.sorted(by: { $0.path < $1.path }).enumerated() {
            route.index = index
            routes[route.service, default: [:]][route.method] = route
            table.append(route)
        }
        self.routes = routes
        self.table = table
    }

    /// The route for service/method, or UNIMPLEMENTED naming what is unknown.
    func route(service: String, method: String) throws(RPCError) -> MethodRoute {
        guard let methods = routes[service] else {
            throw RPCError(.unimplemented, "service \(service) is not served here", reason: "UNKNOWN_SERVICE")
        }
        guard let route = methods[method] else {
            throw RPCError(.unimplemented, "method \(method) is not part of service \(service)", reason: "UNKNOWN_METHOD")
        }
        return route
    }
}
