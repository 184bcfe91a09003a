import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB
import Logging
import NIOCore
import Synchronization

/// Runs one call from its Request to its final status: open (route, call shape, deadline, metadata),
/// the interceptors (authentication, rate limit, authorisation, audit), the handler raced against
/// its deadline and cancellation, and the mapping of whatever it threw to a status.
///
/// Knows nothing of sockets: the connection and the in-process host (`InProcessHost`) hand it a
/// `CallSink`, so tests run exactly the pipeline that serves the socket.
struct CallExecutor: Sendable {
    let dispatcher: Dispatcher
    /// Run in this order around every handler.
    let interceptors: [any ServerInterceptor]
    /// For each route of the table (by `MethodRoute.index`), the interceptors that apply to it.
    private let pipelines: [[any ServerInterceptor]]

    /// Creates an executor.
    /// - Parameters:
    ///   - router: Every route of every running plugin.
    ///   - interceptors: The steps around each handler, outermost first.
    init(router: Router, interceptors: [any ServerInterceptor]) {
        self.dispatcher = Dispatcher(router: router)
        self.interceptors = interceptors
        self.pipelines = dispatcher.table.map { route in interceptors.filter { $0.applies(to: route) } }
    }

    /// The interceptors around the handler of a route this executor's `open` found.
    private func pipeline(_ route: MethodRoute) -> [any ServerInterceptor] {
        pipelines.indices.contains(route.index) ? pipelines[route.index] : interceptors.filter { $0.applies(to: route) }
    }

    /// A call whose Request was accepted, ready to run.
    struct OpenedCall: Sendable {
        let route: MethodRoute
        /// The request message of unary and server-streaming calls.
        let payload: [UInt8]
        var context: RequestContext
        let authorization: String?
        /// For a plugin's in-process call (`PluginCalls`): the principal of the call it serves,
        /// which authentication adopts instead of reading credentials the inner call cannot carry.
        var inherited: Principal?
    }

    /// Checks a Request against its method: the stream flags the call shape needs, the timeout and
    /// the metadata keys.
    /// - Parameters:
    ///   - request: The decoded Request.
    ///   - flags: The flags of the frame that carried it.
    ///   - peer: The caller's Unix credentials, when the transport knows them.
    ///   - logger: The connection's logger.
    ///   - shuttingDown: Whether the server has begun to stop (new calls are refused).
    /// - Returns: The call.
    /// - Throws: UNAVAILABLE while shutting down, UNIMPLEMENTED for unknown names, INVALID_ARGUMENT
    ///   for wrong flags, a negative timeout or bad metadata keys.
    func open(_ request: RequestEnvelope, flags: FrameFlags, peer: PeerCredentials?, logger: Logger,
              shuttingDown: Bool) throws(RPCError) -> OpenedCall {
        if shuttingDown { throw Self.shuttingDown }
        let route = try dispatcher.route(service: request.service, method: request.method)
        let kind = route.handler.kind
        if kind.clientStreams {
            guard !flags.isEmpty else {
                throw RPCError(.invalidArgument, "\(route.path) is \(kind.rawValue): open it with flag remote-open (0x2), or remote-closed (0x1) to send no messages",
                               reason: "WRONG_STREAM_FLAGS")
            }
        } else if kind.serverStreams {
            guard flags == .remoteClosed else {
                throw RPCError(.invalidArgument, "\(route.path) is server-streaming: send its Request with flag remote-closed (0x1)",
                               reason: "WRONG_STREAM_FLAGS")
            }
        } else if flags.contains(.remoteOpen) {
            throw RPCError(.invalidArgument, "\(route.path) is unary: its Request must not carry flag remote-open (0x2)",
                           reason: "WRONG_STREAM_FLAGS")
        }
        if request.timeoutNano < 0 {
            throw RPCError.invalidField("timeout_nano", "must not be negative")
        }
        if let index = request.invalidMetadataKey {
            throw RPCError.invalidField("metadata[\(index)].key", "keys are non-empty lower-case printable ASCII without spaces")
        }
        let deadline: ContinuousClock.Instant? = request.timeoutNano > 0 ? .now + .nanoseconds(request.timeoutNano) : nil
        let context = RequestContext(service: request.service, method: request.method, metadata: request.metadata,
                                     requestID: request.requestID, deadline: deadline, peer: peer, baseLogger: logger)
        return OpenedCall(route: route, payload: kind.clientStreams ? [] : request.payload, context: context,
                          authorization: request.authorization)
    }

    /// Runs an opened call through the interceptors and its handler and hands the outcome to `sink`.
    /// - Parameters:
    ///   - call: The call.
    ///   - requests: The client's messages, for client- and bidirectional-streaming calls.
    ///   - cancel: Fired when the peer cancels a streaming call.
    ///   - sink: Where replies go.
    nonisolated(nonsending) func run(_ call: OpenedCall, requests: RawRequestStream?, cancel: CancelSignal?, sink: some CallSink) async {
        var body = Self.body(call.route.handler, payload: call.payload, deadline: call.context.deadline, requests: requests,
                             cancel: cancel, sink: sink)
        if call.route.cost == .heavy {
            // Off the connection's event loop (`RouteCost`): the interceptors stay on it, the
            // handler's long computation runs on the shared pool.
            let handler = body
            body = { call in try await Self.offLoop(handler, call) }
        }
        let start = ServerCall(route: call.route, context: call.context, authorization: call.authorization, inherited: call.inherited)
        let result: Result<[UInt8], RPCError>
        do {
            result = .success(try await Self.chain(pipeline(call.route), 0, start, body))
        } catch {
            result = .failure(Self.status(for: error, context: call.context))
        }
        await sink.finish(result)
    }

    /// The innermost step: the handler itself, raced against its deadline and cancellation.
    private static func body(_ handler: RawHandler, payload: [UInt8], deadline: ContinuousClock.Instant?, requests: RawRequestStream?,
                             cancel: CancelSignal?, sink: some CallSink) -> nonisolated(nonsending) @Sendable (ServerCall) async throws -> [UInt8] {
        if case let .unary(unary) = handler, deadline == nil, cancel == nil {
            // The common unary call: one closure, no writer, no extra tasks (issue 15); only
            // connection close cancels it.
            return { call in try await unary(payload, call.context) }
        }
        let writer = RawResponseWriter { bytes in try await sink.data(bytes) }
        return { call in
            let run: @Sendable () async throws -> [UInt8] = {
                switch handler {
                case let .unary(handler):
                    return try await handler(payload, call.context)
                case let .serverStreaming(handler):
                    try await handler(payload, call.context, writer)
                    return []
                case let .clientStreaming(handler):
                    return try await handler(requests ?? RawRequestStream { $0.finish() }, call.context)
                case let .bidirectionalStreaming(handler):
                    try await handler(requests ?? RawRequestStream { $0.finish() }, call.context, writer)
                    return []
                }
            }
            if deadline == nil && cancel == nil { return try await run() }
            return try await race(run, deadline: deadline, cancel: cancel).get()
        }
    }

    /// Runs a plugin's in-process call (`PluginCalls`) through the whole pipeline, as a socket call
    /// is run: the Request is encoded and decoded as on the wire, opened (route, shape, deadline),
    /// then screened, rate-limited, authorised, audited and timed by the same interceptors. Only
    /// authentication differs: the inner call adopts the principal of the outer call (established
    /// moments before by the same step), because the outer call's secret is gone by design.
    /// - Parameters:
    ///   - inner: The call.
    ///   - logger: The logger of the outer call's connection.
    /// - Returns: The serialized reply.
    /// - Throws: The inner call's status as `RPCError`.
    func runInner(_ inner: PluginCalls.Call, logger: Logger) async throws -> [UInt8] {
        let chain = inner.context.callChain + [inner.callingPlugin]
        guard chain.count <= PluginCalls.maxDepth else {
            throw RPCError(.resourceExhausted,
                           "in-process calls nest more than \(PluginCalls.maxDepth) deep (\(chain.joined(separator: " → ")) → \(inner.rpc.path)); does a plugin call back into itself?",
                           reason: "CALL_DEPTH")
        }
        var envelope = Ttrpc_Request()
        envelope.service = inner.rpc.service.name
        envelope.method = inner.rpc.method
        envelope.payload = Data(inner.payload)
        if let deadline = inner.context.deadline {
            let left = deadline - .now
            guard left > .zero else {
                throw RPCError(.deadlineExceeded, "deadline exceeded before \(inner.rpc.path) was called")
            }
            envelope.timeoutNano = max(1, left.components.seconds * 1_000_000_000 + left.components.attoseconds / 1_000_000_000)
        }
        var metadata = [Ttrpc_KeyValue.with { $0.key = "coi-called-by"; $0.value = inner.callingPlugin }]
        if !inner.context.requestID.isEmpty {
            metadata.append(.with { $0.key = "coi-request-id"; $0.value = inner.context.requestID })
        }
        envelope.metadata = metadata
        let decoded = try RequestEnvelope(decoding: ByteBuffer(bytes: try envelope.serializedBytes() as [UInt8]))
        var opened = try open(decoded, flags: [], peer: inner.context.peer, logger: logger, shuttingDown: false)
        guard opened.route.handler.kind == .unary else {
            throw RPCError(.internal, "PluginCalls calls unary methods only; \(inner.rpc.path) is \(opened.route.handler.kind.rawValue)")
        }
        opened.inherited = inner.context.principal
        opened.context.callChain = chain
        let sink = CapturingSink()
        await run(opened, requests: nil, cancel: nil, sink: sink)
        return try sink.result.withLock { $0 ?? .failure(RPCError(.internal, "\(inner.rpc.path) ended without a reply")) }.get()
    }

    /// Runs only the interceptors around `body` (the access-table test checks admission this way).
    nonisolated(nonsending) func intercept(_ call: ServerCall, body: nonisolated(nonsending) @escaping @Sendable (ServerCall) async throws -> [UInt8]) async throws -> [UInt8] {
        // The route may come from elsewhere than this executor's table: its index says nothing here.
        try await Self.chain(interceptors.filter { $0.applies(to: call.route) }, 0, call, body)
    }

    private nonisolated(nonsending) static func chain(_ steps: [any ServerInterceptor], _ index: Int, _ call: ServerCall,
                       _ body: nonisolated(nonsending) @escaping @Sendable (ServerCall) async throws -> [UInt8]) async throws -> [UInt8] {
        guard index < steps.count else { return try await body(call) }
        return try await steps[index].intercept(call) { next in try await chain(steps, index + 1, next, body) }
    }

    /// Runs a heavy handler on the shared pool, in a child task that prefers the global concurrent
    /// executor. Only a new task is sure to start there: the handler inherits its caller's executor
    /// (`nonisolated(nonsending)`), and neither a changed preference nor a `@concurrent` callee moved
    /// it off the event loop before its first real suspension (seen in
    /// `EventLoopTaskExecutorTests.heavyHandlersRunOffTheLoopAndLightOnesOnIt`).
    private static func offLoop(_ handler: nonisolated(nonsending) @escaping @Sendable (ServerCall) async throws -> [UInt8],
                                _ call: ServerCall) async throws -> [UInt8] {
        try await withThrowingTaskGroup(of: [UInt8].self) { group in
            group.addTask(executorPreference: globalConcurrentExecutor) { try await handler(call) }
            guard let reply = try await group.next() else { throw CancellationError() }
            return reply
        }
    }

    /// Runs the handler until it finishes, its deadline passes, or its stream is cancelled.
    private static func race(_ body: @escaping @Sendable () async throws -> [UInt8], deadline: ContinuousClock.Instant?,
                             cancel: CancelSignal?) async -> Result<[UInt8], any Error> {
        await withTaskGroup(of: Result<[UInt8], any Error>?.self) { group in
            group.addTask {
                do { return .success(try await body()) } catch { return .failure(error) }
            }
            if let deadline {
                group.addTask {
                    do { try await Task.sleep(until: deadline) } catch { return nil }
                    return .failure(DeadlineExceeded())
                }
            }
            if let cancel {
                group.addTask {
                    guard let reason = await cancel.wait(), !Task.isCancelled else { return nil }
                    return .failure(reason == .shutdown ? Self.shuttingDown : CancellationError())
                }
            }
            var result: Result<[UInt8], any Error> = .failure(CancellationError())
            while let next = await group.next() {
                if let next {
                    result = next
                    break
                }
            }
            group.cancelAll()
            return result
        }
    }

    /// The status of a call refused or ended because the server is stopping.
    static let shuttingDown = RPCError(.unavailable, "the server is shutting down", reason: "SHUTTING_DOWN")

    /// The status to answer for what a call threw.
    /// - Parameters:
    ///   - error: What the handler or an interceptor threw.
    ///   - context: The call.
    /// - Returns: The status, never leaking an internal error's text to the caller.
    static func status(for error: any Error, context: RequestContext) -> RPCError {
        switch error {
        case let error as RPCError:
            return error
        case is CancellationError, is DeadlineExceeded:
            let deadlinePassed = context.deadline.map { ContinuousClock.now >= $0 } ?? false
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

/// Keeps a unary call's outcome for `runInner`.
private final class CapturingSink: CallSink, Sendable {
    let result = Mutex<Result<[UInt8], RPCError>?>(nil)

    func data(_ bytes: [UInt8]) async throws {}

    func finish(_ result: Result<[UInt8], RPCError>) async {
        self.result.withLock { $0 = result }
    }
}

/// Thrown by the deadline timer of a call.
struct DeadlineExceeded: Error {}
