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
