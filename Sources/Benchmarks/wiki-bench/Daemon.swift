import COIWire
import Foundation

/// The coid binary next to wiki-bench, on the benchmark's directory.
final class Daemon: Sendable {
    let process: Process
    let socket: String

    init(dir: String, config: String? = nil) throws {
        socket = dir + "/coid.sock"
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        process = Process()
        process.executableURL = bin.appendingPathComponent("coid")
        process.arguments = ["--state-dir", dir + "/state", "--socket", socket, "--log-level", "warning"]
            + (config.map { ["--config", $0] } ?? [])
        try process.run()
    }

    func waitUntilServing() async throws {
        for _ in 0..<3000 {
            if let connection = try? await ClientConnection.connect(unixSocket: socket) {
                await connection.close()
                return
            }
            guard process.isRunning else { throw BenchError("coid exited with \(process.terminationStatus)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError("coid did not serve on \(socket)")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
