import ArgumentParser
import COIRPC
import SwiftProtobuf

/// A command that makes one unary call: it builds the request, the protocol opens the session,
/// calls, closes, and the command renders the reply (by default: a JSON document with --json,
/// else FIELD/VALUE rows).
protocol UnaryCommand: AsyncParsableCommand {
    associatedtype Request: SwiftProtobuf.Message
    associatedtype Reply: SwiftProtobuf.Message

    var options: GlobalOptions { get }
    /// The method called.
    static var rpc: RPC<Request, Reply> { get }
    /// The request, from the command's arguments; throws `ValidationError` for bad input.
    func request() throws -> Request
    /// Completes the request with what only coid can say (a municipality typed as a name, see
    /// `Places`); by default the request as it is.
    func resolve(_ request: Request, _ session: Session) async throws -> Request
    /// Prints the reply.
    func render(_ reply: Reply) throws
}

extension UnaryCommand {
    func resolve(_ request: Request, _ session: Session) async throws -> Request { request }

    func run() async throws {
        let request = try request()
        let reply = try await Session.with(options) { session in try await session.call(Self.rpc, try await resolve(request, session)) }
        try render(reply)
    }

    func render(_ reply: Reply) throws { Output.show(reply, options) }

    /// Prints the reply as JSON with --json, else `text` (for commands that print an id or a sentence).
    func render(_ reply: Reply, text: String) {
        if options.json { Output.show(reply, options) } else { Output.line(text) }
    }
}
