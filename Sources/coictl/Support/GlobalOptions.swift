import ArgumentParser
import Foundation

/// Options every command takes. `main` moves them behind the subcommand when they are written
/// before it (`coictl --json wiki recent`), so each leaf command parses them (see `GlobalArguments`).
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("coid's socket (default: $COI_SOCKET, else ./.state/coid.sock when it exists, else /run/coid/coid.sock).",
                                            valueName: "path"))
    var socket: String?

    @Flag(name: .customLong("json"), help: "Print JSON for scripts: one document, or one object per line for lists and streams (same as -o json).")
    var jsonFlag = false

    @Option(name: .customShort("o"), help: ArgumentHelp("Output format.", valueName: "json|table"))
    var format: OutputFormat = .table

    @Option(name: .long, help: ArgumentHelp("Give up on a call after this many seconds (sent as the call's deadline).", valueName: "seconds"))
    var timeout: Double = 30

    @Option(name: .long, help: ArgumentHelp("Authenticate with this bearer token instead of your Unix user (default: $COI_TOKEN).",
                                            valueName: "token"))
    var token: String?

    @Option(name: .customLong("act-as"), help: ArgumentHelp("Act for this person's account (needs permission identity.act-as).",
                                                             valueName: "account-id"))
    var actAs: String?

    func validate() throws {
        guard timeout > 0, timeout.isFinite, timeout < 31_536_000 else {
            throw ValidationError("--timeout must be a number of seconds above 0, not \(timeout)")
        }
    }

    /// Whether to print JSON (`--json` or `-o json`).
    var json: Bool { jsonFlag || format == .json }

    /// The socket to use, by the documented order.
    var socketPath: String {
        if let socket { return socket }
        if let env = ProcessInfo.processInfo.environment["COI_SOCKET"], !env.isEmpty { return env }
        let local = FileManager.default.currentDirectoryPath + "/.state/coid.sock"
        if FileManager.default.fileExists(atPath: local) { return local }
        return "/run/coid/coid.sock"
    }

    var deadline: Duration { .milliseconds(Int64(timeout * 1000)) }

    /// Metadata sent with every call: the bearer token (--token, else $COI_TOKEN) and coi-act-as.
    /// The token is a secret: it goes on the wire and nowhere else (never into an error or a log).
    var metadata: [(key: String, value: String)] {
        var metadata: [(key: String, value: String)] = []
        let secret = (token ?? ProcessInfo.processInfo.environment["COI_TOKEN"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !secret.isEmpty { metadata.append((key: "authorization", value: "Bearer \(secret)")) }
        if let actAs, !actAs.isEmpty { metadata.append((key: "coi-act-as", value: actAs)) }
        return metadata
    }
}

/// `-o json|table`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case json, table
}
