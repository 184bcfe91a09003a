import COIWire
import Foundation

/// The real `coid` binary, started on a temporary state directory and socket.
final class DaemonProcess: @unchecked Sendable {
    let directory: URL
    let socketPath: String
    let logPath: String
    private(set) var process: ChildProcess!
    private let arguments: [String]
    private let environment: [String: String]
    private let launcher: [String]

    /// The directory holding the built executables (next to the test bundle under `swift test`).
    static let binDirectory: URL = {
        if let dir = ProcessInfo.processInfo.environment["COID_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("coid").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug")
    }()

    static var coid: String { binDirectory.appendingPathComponent("coid").path }
    static var coictl: String { binDirectory.appendingPathComponent("coictl").path }

    /// Makes a fresh temporary directory with a short path (Unix socket paths are limited to 107 bytes).
    static func makeDirectory() throws -> URL {
        let url = URL(fileURLWithPath: "/tmp/coid-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Starts coid and waits until its socket answers.
    /// - Parameter launcher: A program and its arguments that exec coid (`taskset -c 0`).
    init(directory: URL? = nil, extraArguments: [String] = [], environment: [String: String] = [:], launcher: [String] = [],
         waitForSocket: Bool = true) async throws {
        self.directory = try directory ?? Self.makeDirectory()
        socketPath = self.directory.appendingPathComponent("coid.sock").path
        logPath = self.directory.appendingPathComponent("coid.log").path
        arguments = ["--state-dir", self.directory.appendingPathComponent("state").path, "--socket", socketPath] + extraArguments
        self.environment = environment
        self.launcher = launcher
        try launch()
        if waitForSocket { try await waitUntilServing() }
    }

    /// Starts coid with `config` as its config file (`DIR/coid.toml`, passed with `--config`).
    /// - Parameters:
    ///   - config: The file's TOML.
    ///   - extraArguments: Further arguments.
    convenience init(config: String, extraArguments: [String] = []) async throws {
        let directory = try Self.makeDirectory()
        let file = directory.appendingPathComponent("coid.toml")
        try config.write(to: file, atomically: true, encoding: .utf8)
        try await self.init(directory: directory, extraArguments: ["--config", file.path] + extraArguments)
    }

    private func launch() throws {
        let command = launcher + [Self.coid] + arguments
        process = try ChildProcess(command[0], Array(command.dropFirst()), environment: childEnvironment(environment),
                                   stdout: logPath, stderr: logPath)
    }

    /// Polls until a connection succeeds (fails if the process exits first).
    func waitUntilServing() async throws {
        for _ in 0..<1500 {
            if !process.isRunning { throw DaemonError("coid exited with \(await process.wait()) before serving:\n\(log)") }
            if let connection = try? await ClientConnection.connect(unixSocket: socketPath) {
                await connection.close()
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw DaemonError("coid did not start serving on \(socketPath):\n\(log)")
    }

    func connect() async throws -> ClientConnection {
        try await ClientConnection.connect(unixSocket: socketPath)
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Sends a signal.
    func signal(_ signal: Int32) { process.signal(signal) }

    /// Waits for the process to exit and returns its status.
    @discardableResult
    func waitForExit() async -> Int32 {
        await process.wait()
    }

    /// SIGTERM and wait.
    @discardableResult
    func stop() async -> Int32 {
        if process.isRunning { signal(SIGTERM) }
        return await waitForExit()
    }

    /// Starts the same daemon again on the same directory.
    func restart() async throws {
        try launch()
        try await waitUntilServing()
    }

}

struct DaemonError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

