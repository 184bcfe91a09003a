import COIRPC
import COIWire
import SwiftProtobuf

extension Session {
    /// A unary wiki call that renders edit conflicts as conflict markers.
    func wiki<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request) async throws -> Reply {
        do {
            return try await connection.call(rpc, request, metadata: options.metadata, timeout: options.deadline)
        } catch let error as RPCError {
            throw WikiFormat.fail(error)
        }
    }

    /// A server-streaming call; `follow` streams have no deadline, they end when coictl is stopped.
    func serverStream<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request,
                                                        follow: Bool, _ each: (Reply) throws -> Void) async throws {
        let stream = try connection.stream(rpc, request, metadata: options.metadata, timeout: follow ? nil : options.deadline)
        do {
            for try await reply in stream.replies { try each(reply) }
        } catch let error as RPCError {
            throw Session.fail(error)
        }
    }
}
