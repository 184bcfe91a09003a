import COIWire
import SwiftProtobuf

extension Session {
    /// A unary wiki call that renders edit conflicts as conflict markers.
    func wiki<Request: Message, Reply: Message>(_ service: String, _ method: String, _ request: Request,
                                                as reply: Reply.Type) async throws -> Reply {
        do {
            return try await connection.call(service, method, request, as: reply, metadata: options.metadata, timeout: options.deadline)
        } catch let error as RPCError {
            throw WikiFormat.fail(error)
        }
    }

    /// A server-streaming call; `follow` streams have no deadline, they end when coictl is stopped.
    func serverStream<Request: Message, Reply: Message>(_ service: String, _ method: String, _ request: Request, as reply: Reply.Type,
                                                        follow: Bool, _ each: (Reply) throws -> Void) async throws {
        let stream = connection.stream(service: service, method: method, payload: try request.serializedBytes(), clientStreaming: false,
                                       metadata: options.metadata, timeout: follow ? nil : options.deadline)
        do {
            for try await bytes in stream.replies { try each(try Reply(serializedBytes: bytes)) }
        } catch let error as RPCError {
            throw Session.fail(error)
        }
    }
}
