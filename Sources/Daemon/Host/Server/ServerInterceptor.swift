import COIPluginKit

/// One step around every call: authentication, rate limiting, authorisation and audit are
/// interceptors, run in the order the server lists them (modelled on grpc-swift-2's
/// `ServerInterceptor`). Each gets the call and the rest of the pipeline as `next`; it may change
/// the call (the principal), refuse it by throwing, or look at how it ended.
protocol ServerInterceptor: Sendable {
    /// Runs this step of the call.
    /// - Parameters:
    ///   - call: The call as the steps before this one left it.
    ///   - next: The rest of the pipeline, ending with the handler.
    /// - Returns: The handler's serialized reply (empty for server-streaming calls).
    nonisolated(nonsending) func intercept(_ call: ServerCall, next: nonisolated(nonsending) @Sendable (ServerCall) async throws -> [UInt8]) async throws -> [UInt8]

    /// Whether this step has anything to do for calls of `route`. A step that would only pass
    /// such calls on is left out of that route's pipeline when the route table is built, so a
    /// read does not pay for the audit step, nor a short call for the stream cap (issue 15).
    /// `intercept` must still pass on a call this returns false for unchanged.
    func applies(to route: MethodRoute) -> Bool
}

extension ServerInterceptor {
    /// Every route, unless the step says otherwise.
    func applies(to route: MethodRoute) -> Bool { true }
}

/// A call on its way through the interceptors to its handler.
struct ServerCall: Sendable {
    /// The method called.
    let route: MethodRoute
    /// What the handler will see; interceptors set the principal here.
    var context: RequestContext
    /// The `authorization` metadata: only authentication reads it, and clears it.
    var authorization: String?
    /// A plugin's in-process call (`PluginCalls`): the principal of the outer call, adopted by
    /// authentication. Never set from the wire.
    var inherited: Principal? = nil
}
