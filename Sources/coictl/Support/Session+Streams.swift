import COIRPC
import COIWire
import SwiftProtobuf

extension Session {
    /// A server-streaming call; `follow` streams have no deadline, they end when coictl is stopped.
    func serverStream<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request,
                                                        follow: Bool = false, _ each: (Reply) throws -> Void) async throws {
        do {
            let stream = try connection.stream(rpc, request, metadata: options.metadata, timeout: follow ? nil : options.deadline)
            for try await reply in stream.replies { try each(reply) }
        } catch let error as RPCError {
            throw fail(error)
        }
    }

    /// A call that must succeed unless it fails with one of `tolerated` (e.g. ALREADY_EXISTS when
    /// the state wanted is already there).
    func call<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request,
                                                tolerating tolerated: Set<StatusCode>) async throws {
        do {
            _ = try await connection.call(rpc, request, metadata: options.metadata, timeout: options.deadline)
        } catch let error as RPCError where tolerated.contains(error.code) {
            return
        } catch let error as RPCError {
            throw fail(error)
        }
    }
}
