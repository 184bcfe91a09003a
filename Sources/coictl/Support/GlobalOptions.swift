import ArgumentParser
import Foundation

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "coid's socket (default: $COI_SOCKET, ./.state/coid.sock, /run/coid/coid.sock).")
    var socket: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of tables.")
    var json = false

    @Option(name: .long, help: "Give up on a call after this many seconds (sent as the call's deadline).")
    var timeout: Double = 30

    @Option(name: .long, help: ArgumentHelp("Authenticate with this bearer token instead of your Unix user (default: $COI_TOKEN).",
                                            valueName: "token"))
    var token: String?

    @Option(name: .customLong("act-as"), help: ArgumentHelp("Act for this person's account (needs permission identity.act-as).",
                                                             valueName: "account-id"))
    var actAs: String?

    /// The socket to use, by the documented order.
    var socketPath: String {
        if let socket { return socket }
        if let env = ProcessInfo.processInfo.environment["COI_SOCKET"], !env.isEmpty { return env }
        let local = FileManager.default.currentDirectoryPath + "/.state/coid.sock"
        if FileManager.default.fileExists(atPath: local) { return local }
        return "/run/coid/coid.sock"
    }

    var deadline: Duration { .milliseconds(Int(timeout * 1000)) }

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
