import COIPluginKit
import COIProto
import COIWire
import Foundation
import Logging
import NIOCore
import SwiftProtobuf
import Synchronization

/// Serves one client connection: reads frames in order, opens a child task per stream, and
/// writes each stream's frames. Streams interleave freely; a bad frame fails its stream only.
struct Connection: Sendable {
    let channel: NIOAsyncChannel<FrameEvent, Frame>
    let dispatcher: Dispatcher
    let settings: LiveSettings
    let shutdown: ShutdownSignal
    let peer: PeerCredentials?
    let logger: Logger

    func run() async {
        let limits = settings.limits
        let budget = ByteBudget { [settings] in settings.limits.maxBufferedBytes }
        let state = ConnectionState(maxConcurrentStreams: limits.maxConcurrentStreams, budget: budget)
        do {
            try await channel.executeThenClose { inbound, outbound in
                let writer = FrameWriter(outbound: outbound, batcher: ResponseBatcher(channel: channel.channel))
                await withDiscardingTaskGroup { group in
                    group.addTask { await watch(state: state) }
                    do {
                        for try await event in inbound {
                            handle(event, state: state, writer: writer, group: &group)
                        }
                    } catch is CancellationError {
                    } catch {
                        logger.notice("closing connection", metadata: ["reason": "\(error)"])
                    }
                    // The peer is gone (or we are closing): its calls can no longer be answered.
                    state.failAll()
                    group.cancelAll()
                }
            }
        } catch {
            logger.debug("connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// Closes the connection when idle too long, and drains it on shutdown.
    private func watch(state: ConnectionState) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    guard let idle = settings.limits.idleTimeout else {
                        try? await Task.sleep(for: .seconds(5))
                        continue
                    }
                    try? await Task.sleep(for: max(.milliseconds(100), min(idle / 4, .seconds(5))))
                    let (open, idleFor) = state.idleness
                    if open == 0 && idleFor >= idle {
                        logger.debug("closing idle connection")
                        return
                    }
                }
            }
            group.addTask {
                await shutdown.wait()
                guard !Task.isCancelled else { return }
                let deadline = ContinuousClock.now + settings.limits.shutdownGrace
                while state.idleness.openStreams > 0 && ContinuousClock.now < deadline && !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            await group.next()
            group.cancelAll()
        }
        // Ends the read loop: the connection closes and open calls are cancelled.
        channel.channel.close(promise: nil)
    }

    private func handle(_ event: FrameEvent, state: ConnectionState, writer: FrameWriter, group: inout DiscardingTaskGroup) {
        let limits = settings.limits
        switch state.receive(event, maxConcurrentStreams: limits.maxConcurrentStreams) {
        case .ignore:
            return
        case let .reject(streamID, error, cancelsStream):
            if cancelsStream { state.cancel(streamID) }
            logger.debug("rejected frame", metadata: ["stream": "\(streamID)", "error": "\(error)"])
            // An open stream may have Data queued in the async writer: its error must follow them.
            group.addTask { await writer.response(streamID, error: error, streaming: cancelsStream) }
        case let .data(streamID, payload, end):
            guard let queue = state.queue(streamID) else { return }
            if let payload {
                if !queue.push(Array(buffer: payload)) {
                    state.cancel(streamID)
                    let error = RPCError(.resourceExhausted,
                                         "connection buffer limit of \(limits.maxBufferedBytes) bytes exceeded; the handler is not keeping up",
                                         reason: "BUFFER_LIMIT")
                    group.addTask { await writer.response(streamID, error: error, streaming: true) }
                    return
                }
            }
            if end { queue.finish() }
        case let .open(streamID, flags, payload):
            do {
                let call = try open(streamID, flags: flags, payload: payload, state: state)
                group.addTask { await run(call, state: state, writer: writer) }
            } catch {
                _ = state.complete(streamID)
                group.addTask { await writer.response(streamID, error: error) }
            }
        }
    }

    /// A validated call, ready to run.
    private struct Call: Sendable {
        let streamID: UInt32
        let route: MethodRoute
        let payload: [UInt8]
        let context: RequestContext
        /// The `authorization` metadata, which only authentication sees.
        let authorization: String?
        let queue: InboundQueue?
        let cancel: CancelSignal?
    }

    private func open(_ streamID: UInt32, flags: FrameFlags, payload: ByteBuffer, state: ConnectionState) throws(RPCError) -> Call {
        let request: RequestEnvelope
        do {
            request = try RequestEnvelope(decoding: payload)
        } catch {
            throw RPCError(.invalidArgument, "Request frame payload is not a ttrpc.Request: \(error)", reason: "REQUEST_UNDECODABLE")
        }
        if shutdown.isFired {
            throw RPCError(.unavailable, "the server is shutting down", reason: "SHUTTING_DOWN")
        }
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
        let metadata = request.metadata
        let requestID = request.requestID
        let deadline: ContinuousClock.Instant? = request.timeoutNano > 0 ? .now + .nanoseconds(request.timeoutNano) : nil
        let context = RequestContext(service: request.service, method: request.method, metadata: metadata,
                                     requestID: requestID, deadline: deadline, peer: peer, baseLogger: logger)
        var queue: InboundQueue?
        if kind.clientStreams {
            let q = InboundQueue(budget: state.budget)
            if !request.payload.isEmpty { _ = q.push(request.payload) }
            if flags.contains(.remoteClosed) { q.finish() }
            queue = q
        }
        let cancel = (kind == .unary) ? nil : CancelSignal()
        state.attach(streamID, queue: queue, cancel: cancel)
        return Call(streamID: streamID, route: route, payload: kind.clientStreams ? [] : request.payload,
                    context: context, authorization: request.authorization, queue: queue, cancel: cancel)
    }

    private func run(_ call: Call, state: ConnectionState, writer: FrameWriter) async {
        let id = call.streamID
        var refusal: (any Error)?
        var context = call.context
        if let identity = dispatcher.identity {
            do {
                try await identity.admit(call.route, &context, authorization: call.authorization)
            } catch {
                refusal = error
            }
        }
        let call = Call(streamID: call.streamID, route: call.route, payload: call.payload, context: context,
                        authorization: nil, queue: call.queue, cancel: call.cancel)
        let dataWriter = RawResponseWriter { bytes in
            guard state.isActive(id) else { throw CancellationError() }
            try await writer.data(id, bytes)
        }
        let body: @Sendable () async throws -> [UInt8] = {
            switch call.route.handler {
            case let .unary(handler):
                return try await handler(call.payload, call.context)
            case let .serverStreaming(handler):
                try await handler(call.payload, call.context, dataWriter)
                return []
            case let .clientStreaming(handler):
                return try await handler(call.queue!.stream(), call.context)
            case let .bidirectionalStreaming(handler):
                try await handler(call.queue!.stream(), call.context, dataWriter)
                return []
            }
        }
        let outcome: Result<[UInt8], any Error>
        if let refusal {
            outcome = .failure(refusal)
        } else if call.context.deadline == nil && call.cancel == nil {
            // The common unary case runs without extra tasks: only connection close cancels it.
            do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
        } else {
            outcome = await race(body, deadline: call.context.deadline, cancel: call.cancel)
        }
        let failure: RPCError? = switch outcome {
        case .success: nil
        case let .failure(error):
            Dispatcher.status(for: error, context: call.context,
                              deadlinePassed: call.context.deadline.map { ContinuousClock.now >= $0 } ?? false)
        }
        if let identity = dispatcher.identity {
            await identity.record(call.route, call.context, outcome: failure?.code ?? .ok)
        }
        guard state.complete(id) else { return }
        let streaming = call.route.handler.kind.serverStreams
        switch (outcome, failure) {
        case let (.success(bytes), nil):
            await writer.response(id, payload: bytes, streaming: streaming)
        case let (_, failure?):
            await writer.response(id, error: failure, streaming: streaming)
        default:
            break
        }
    }

    /// Runs the handler until it finishes, its deadline passes, or its stream is cancelled.
    private func race(_ body: @escaping @Sendable () async throws -> [UInt8], deadline: ContinuousClock.Instant?,
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
                    await cancel.wait()
                    return Task.isCancelled ? nil : .failure(CancellationError())
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
}

/// Writes frames for the streams of one connection.
///
/// Final Responses of unary calls are batched: each is appended to a queue and one event-loop task
/// writes everything queued with a single flush. Under load that turns a wake-up and a syscall per
/// call into one per batch. Frames of streaming calls go through the async writer, which applies
/// back-pressure; their final Response follows the same path so it can never overtake their Data.
struct FrameWriter: Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<Frame>
    let batcher: ResponseBatcher

    func data(_ streamID: UInt32, _ bytes: [UInt8]) async throws {
        try await outbound.write(Frame(streamID: streamID, type: .data, payload: ByteBuffer(bytes: bytes)))
    }

    /// A successful final Response.
    func response(_ streamID: UInt32, payload: [UInt8], streaming: Bool = false) async {
        // Response{status: {} (field 1, empty), payload: bytes (field 2)}, encoded by hand: this is
        // the hottest allocation site of the server.
        var buffer = ByteBuffer()
        buffer.reserveCapacity(payload.count + 8)
        buffer.writeBytes([0x0a, 0x00])
        if !payload.isEmpty {
            buffer.writeInteger(UInt8(0x12))
            var length = UInt32(payload.count)
            while length >= 0x80 {
                buffer.writeInteger(UInt8(length & 0x7f | 0x80))
                length >>= 7
            }
            buffer.writeInteger(UInt8(length))
            buffer.writeBytes(payload)
        }
        await send(Frame(streamID: streamID, type: .response, payload: buffer), streaming: streaming)
    }

    func response(_ streamID: UInt32, error: any Error, streaming: Bool = false) async {
        let rpcError = error as? RPCError ?? RPCError(.internal, "\(error)")
        var response = Ttrpc_Response()
        response.status = rpcError.status
        guard let bytes: [UInt8] = try? response.serializedBytes() else { return }
        await send(Frame(streamID: streamID, type: .response, payload: ByteBuffer(bytes: bytes)), streaming: streaming)
    }

    private func send(_ frame: Frame, streaming: Bool) async {
        if streaming {
            try? await outbound.write(frame)
        } else {
            batcher.enqueue(frame)
        }
    }
}

/// Collects frames from many tasks and writes them in one event-loop turn with one flush.
final class ResponseBatcher: Sendable {
    private struct Pending {
        var frames: [Frame] = []
        var scheduled = false
    }
    private let channel: any Channel
    private let pending = Mutex(Pending())

    init(channel: any Channel) {
        self.channel = channel
    }

    func enqueue(_ frame: Frame) {
        let schedule = pending.withLock { pending -> Bool in
            pending.frames.append(frame)
            defer { pending.scheduled = true }
            return !pending.scheduled
        }
        if schedule {
            channel.eventLoop.execute { self.drain() }
        }
    }

    private func drain() {
        let frames = pending.withLock { pending -> [Frame] in
            defer {
                pending.frames.removeAll(keepingCapacity: true)
                pending.scheduled = false
            }
            return pending.frames
        }
        for frame in frames { channel.write(frame, promise: nil) }
        channel.flush()
    }
}
