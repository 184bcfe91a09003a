import COIPluginKit
import COIWire
import GRDB
import Logging

/// Finds the route for a call and turns handler failures into statuses.
struct Dispatcher: Sendable {
    let routes: [String: MethodRoute]
    let services: Set<String>
    /// Authenticates, authorises and audits calls; nil serves every call unchecked (unit tests of
    /// the transport).
    let identity: Identity?

    init(router: Router, identity: Identity?) {
        routes = router.routes
        services = Set(router.routes.values.map(\.service))
        self.identity = identity
    }

    /// The route for service/method, or UNIMPLEMENTED naming what is unknown.
    func route(service: String, method: String) throws(RPCError) -> MethodRoute {
        if let route = routes["\(service)/\(method)"] { return route }
        if services.contains(service) {
            throw RPCError(.unimplemented, "method \(method) is not part of service \(service)", reason: "UNKNOWN_METHOD")
        }
        throw RPCError(.unimplemented, "service \(service) is not served here", reason: "UNKNOWN_SERVICE")
    }

    /// The status to answer for a handler's error.
    static func status(for error: any Error, context: RequestContext, deadlinePassed: Bool) -> RPCError {
        switch error {
        case let error as RPCError:
            return error
        case is CancellationError, is DeadlineExceeded:
            if deadlinePassed || error is DeadlineExceeded {
                return RPCError(.deadlineExceeded, "deadline exceeded before \(context.service)/\(context.method) finished")
            }
            return RPCError(.cancelled, "call cancelled")
        case let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED:
            return RPCError(.unavailable, "the database is busy; retry")
        default:
            context.logger.error("handler failed", metadata: ["error": "\(error)"])
            return RPCError(.internal, "internal error\(context.requestID.isEmpty ? "" : " (request id \(context.requestID))"); see the server log")
        }
    }
}

/// Thrown by the deadline timer of a call.
struct DeadlineExceeded: Error {}
