import COIJSON
public import COIRPC
public import SwiftProtobuf
import COIWire

extension Router {
    /// Registers a unary method.
    /// - Parameters:
    ///   - rpc: The method, from generated code (`Coi_Wiki_V1_Pages.Method.get`).
    ///   - access: Who may call it and whether it changes state.
    ///   - cost: `.heavy` for a handler that computes for milliseconds outside the database
    ///     (see `RouteCost`).
    ///   - handler: Receives the decoded request, returns the reply.
    public mutating func unary<Request: Message, Reply: Message>(
        _ rpc: RPC<Request, Reply>, _ access: Access, cost: RouteCost = .light,
        _ handler: nonisolated(nonsending) @escaping @Sendable (Request, RequestContext) async throws -> Reply
    ) {
        let descriptors = self.descriptors
        register(rpc.erased, access, cost: cost, handler: .unary { bytes, context in
            let request = try decodeMessage(Request.self, bytes, screenedBy: descriptors)
            return try await handler(request, context).serializedBytes()
        })
    }

    /// Registers a server-streaming method.
    /// - Parameters:
    ///   - rpc: The method, from generated code (`Coi_Wiki_V1_Pages.Method.get`).
    ///   - access: Who may call it and whether it changes state.
    ///   - lifetime: `.longLived` for a feed or watch that follows changes until the caller
    ///     leaves: the host then caps it per principal and ends it at once on shutdown.
    ///   - handler: Receives the decoded request and a writer for the replies.
    public mutating func serverStreaming<Request: Message, Reply: Message>(
        _ rpc: RPC<Request, Reply>, _ access: Access, lifetime: StreamLifetime = .finite,
        _ handler: @escaping @Sendable (Request, RequestContext, ResponseWriter<Reply>) async throws -> Void
    ) {
        let descriptors = self.descriptors
        register(rpc.erased, access, lifetime: lifetime, handler: .serverStreaming { bytes, context, writer in
            let request = try decodeMessage(Request.self, bytes, screenedBy: descriptors)
            try await handler(request, context, ResponseWriter(raw: writer))
        })
    }

    /// Registers a client-streaming method.
    /// - Parameters:
    ///   - rpc: The method, from generated code (`Coi_Wiki_V1_Pages.Method.get`).
    ///   - access: Who may call it and whether it changes state.
    ///   - handler: Receives the decoded request messages, returns the reply.
    public mutating func clientStreaming<Request: Message, Reply: Message>(
        _ rpc: RPC<Request, Reply>, _ access: Access,
        _ handler: @escaping @Sendable (RequestStream<Request>, RequestContext) async throws -> Reply
    ) {
        let descriptors = self.descriptors
        register(rpc.erased, access, handler: .clientStreaming { stream, context in
            try await handler(RequestStream(raw: stream, descriptors: descriptors), context).serializedBytes()
        })
    }

    /// Registers a bidirectional-streaming method.
    /// - Parameters:
    ///   - rpc: The method, from generated code (`Coi_Wiki_V1_Pages.Method.get`).
    ///   - access: Who may call it and whether it changes state.
    ///   - handler: Receives the decoded request messages and a writer for the replies.
    public mutating func bidirectionalStreaming<Request: Message, Reply: Message>(
        _ rpc: RPC<Request, Reply>, _ access: Access,
        _ handler: @escaping @Sendable (RequestStream<Request>, RequestContext, ResponseWriter<Reply>) async throws -> Void
    ) {
        let descriptors = self.descriptors
        register(rpc.erased, access, handler: .bidirectionalStreaming { stream, context, writer in
            try await handler(RequestStream(raw: stream, descriptors: descriptors), context, ResponseWriter(raw: writer))
        })
    }
}

/// Decodes a request payload and screens its fields (`RequestScreen`), failing with INVALID_ARGUMENT
/// that names the message type or the field.
/// - Parameters:
///   - type: The expected message type.
///   - bytes: The payload.
///   - descriptors: The descriptors to screen by.
/// - Returns: The message.
func decodeMessage<M: Message>(_ type: M.Type, _ bytes: [UInt8], screenedBy descriptors: DescriptorPool?) throws -> M {
    let message: M
    do {
        message = try M(serializedBytes: bytes)
    } catch {
        throw RPCError(.invalidArgument, "payload does not decode as \(M.protoMessageName): \(error)",
                       reason: "PAYLOAD_UNDECODABLE")
    }
    try RequestScreen.check(bytes, messageName: M.protoMessageName, in: descriptors)
    return message
}

/// Sends typed replies on a server stream.
public struct ResponseWriter<Reply: Message>: Sendable {
    let raw: RawResponseWriter
    /// Sends one reply.
    /// - Parameter reply: The message.
    public func send(_ reply: Reply) async throws {
        try await raw.send(try reply.serializedBytes())
    }
}

/// The typed messages a client streams.
public struct RequestStream<Request: Message>: AsyncSequence, Sendable {
    public typealias Element = Request
    let raw: RawRequestStream
    let descriptors: DescriptorPool?

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: RawRequestStream.AsyncIterator
        let descriptors: DescriptorPool?
        public mutating func next() async throws -> Request? {
            guard let bytes = try await base.next() else { return nil }
            return try decodeMessage(Request.self, bytes, screenedBy: descriptors)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: raw.makeAsyncIterator(), descriptors: descriptors) }
}
