import ArgumentParser
import COIRPC
import COIWire
import Foundation
import NIOCore
import SwiftProtobuf

/// A connection to coid with coictl's error handling: a failed connect exits 69 saying why in
/// words, a rejected request prints the status and exits 1.
struct Session {
    let connection: ClientConnection
    let options: GlobalOptions

    /// Opens a session, runs `body` and closes the session before returning or throwing.
    ///
    /// The close is awaited here, not left to a `defer { Task { … } }`, which races the process's
    /// exit and can leave the daemon a half-closed connection.
    static func with<T>(_ options: GlobalOptions, _ body: (Session) async throws -> T) async throws -> T {
        let session = try await open(options)
        do {
            let result = try await body(session)
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    private static func open(_ options: GlobalOptions) async throws -> Session {
        let path = options.socketPath
        do {
            return Session(connection: try await ClientConnection.connect(unixSocket: path), options: options)
        } catch {
            Output.failure(code: "UNAVAILABLE", message: "cannot connect to \(path): \(ConnectError.describe(error))")
            throw ExitCode(69)
        }
    }

    /// A unary call; a rejection prints the server's status and exits 1.
    func call<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request) async throws -> Reply {
        do {
            return try await connection.call(rpc, request, metadata: options.metadata, timeout: options.deadline)
        } catch let error as RPCError {
            throw fail(error)
        }
    }

    /// Prints a server error and returns the exit to throw.
    func fail(_ error: RPCError) -> ExitCode { Session.fail(error) }

    /// Prints a server error and returns the exit to throw: 69 for a lost connection, else 1.
    static func fail(_ error: RPCError) -> ExitCode {
        if error.code == .unavailable && error.message.hasPrefix("connection") {
            Output.failure(code: error.code.name, message: "lost the connection to coid: \(error.message)")
            return ExitCode(69)
        }
        if error.reason == "EDIT_CONFLICT" && !Output.jsonErrors {
            WikiFormat.printConflict(error)
        } else {
            Output.failure(error)
        }
        return ExitCode(1)
    }

    private func close() async { await connection.close() }
}

/// Connection errors in words. NIO reports a failed `connect(2)` as an `IOError` whose text names
/// the system call (`connect(descriptor:addr:size:)`); what a person needs is the errno and a hint.
enum ConnectError {
    static func describe(_ error: any Error) -> String {
        guard let io = error as? IOError else {
            if case SocketAddressError.unixDomainSocketPathTooLong = error {
                return "the socket path is too long for a Unix socket (at most 107 bytes)"
            }
            return "\(error)"
        }
        return describe(errno: io.errnoCode)
    }

    static func describe(errno code: Int32) -> String {
        switch code {
        case EACCES, EPERM: "permission denied — is your user in group coi? (or use --token)"
        case ENOENT: "no such file — is coid running? (set --socket or COI_SOCKET)"
        case ECONNREFUSED: "connection refused — nothing listens on the socket; is coid running?"
        case ENOTSOCK, ENOTDIR: "not a socket — check --socket or COI_SOCKET"
        case ETIMEDOUT, EAGAIN: "timed out — coid is too busy to accept connections"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}
