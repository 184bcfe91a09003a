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

    /// The socket to use, by the documented order.
    var socketPath: String {
        if let socket { return socket }
        if let env = ProcessInfo.processInfo.environment["COI_SOCKET"], !env.isEmpty { return env }
        let local = FileManager.default.currentDirectoryPath + "/.state/coid.sock"
        if FileManager.default.fileExists(atPath: local) { return local }
        return "/run/coid/coid.sock"
    }

    var deadline: Duration { .milliseconds(Int(timeout * 1000)) }
}
