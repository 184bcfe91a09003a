import ArgumentParser
import COIRPC
import COIWire
import Foundation
import SwiftProtobuf

/// A connection to coid with coictl's error handling: a failed connect exits 69, a rejected
/// request prints the status and exits 1.
struct Session {
    let connection: ClientConnection
    let options: GlobalOptions

    static func open(_ options: GlobalOptions) async throws -> Session {
        let path = options.socketPath
        do {
            return Session(connection: try await ClientConnection.connect(unixSocket: path), options: options)
        } catch {
            Output.error("cannot connect to coid at \(path): \(error)")
            Output.error("hint: is coid running? set --socket or COI_SOCKET")
            throw ExitCode(69)
        }
    }

    func call<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request) async throws -> Reply {
        do {
            return try await connection.call(rpc, request, metadata: options.metadata, timeout: options.deadline)
        } catch let error as RPCError {
            throw Session.fail(error)
        }
    }

    /// Prints a server error and returns the exit to throw.
    static func fail(_ error: RPCError) -> ExitCode {
        if error.code == .unavailable && error.message.hasPrefix("connection") {
            Output.error("lost the connection to coid: \(error.message)")
            return ExitCode(69)
        }
        Output.error("\(error.code.name): \(error.message)")
        for violation in error.fieldViolations {
            Output.error("  field \(violation.field): \(violation.description)")
        }
        return ExitCode(1)
    }

    /// Follows a list method's page tokens: the first page only, or every page when `all`.
    /// - Parameters:
    ///   - all: Whether to fetch every page.
    ///   - fetch: Fetches the page for a token ("" = the first), returning its items and the next token.
    /// - Returns: The items, and whether pages remain unfetched.
    func pages<Item>(all: Bool, _ fetch: (String) async throws -> (items: [Item], next: String)) async throws -> (items: [Item], more: Bool) {
        var items: [Item] = []
        var token = ""
        repeat {
            let page = try await fetch(token)
            items += page.items
            token = page.next
        } while all && !token.isEmpty
        return (items, !token.isEmpty)
    }

    func close() async { await connection.close() }
}
