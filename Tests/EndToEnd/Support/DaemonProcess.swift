import COIWire
import Foundation

/// The real `coid` binary, started on a temporary state directory and socket.
final class DaemonProcess: @unchecked Sendable {
    let directory: URL
    let socketPath: String
    let logPath: String
    private(set) var process: Process
    private let arguments: [String]
    private let environment: [String: String]

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
    init(directory: URL? = nil, extraArguments: [String] = [], environment: [String: String] = [:], waitForSocket: Bool = true) async throws {
        self.directory = try directory ?? Self.makeDirectory()
        socketPath = self.directory.appendingPathComponent("coid.sock").path
        logPath = self.directory.appendingPathComponent("coid.log").path
        arguments = ["--state-dir", self.directory.appendingPathComponent("state").path, "--socket", socketPath] + extraArguments
        self.environment = environment
        process = Process()
        try launch()
        if waitForSocket { try await waitUntilServing() }
    }

    private func launch() throws {
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.coid)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "WATCHDOG_USEC", "COID_CONFIG", "COI_SOCKET"] { env[key] = nil }
        env.merge(environment) { $1 }
        process.environment = env
        process.standardError = log
        process.standardOutput = log
        try process.run()
    }

    /// Polls until a connection succeeds (fails if the process exits first).
    func waitUntilServing() async throws {
        for _ in 0..<1500 {
            if !process.isRunning { throw DaemonError("coid exited with \(process.terminationStatus) before serving:\n\(log)") }
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
    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to exit and returns its status.
    @discardableResult
    func waitForExit() async -> Int32 {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        return process.terminationStatus
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

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct DaemonError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command to completion, returning exit status, stdout and stderr.
func runCommand(_ path: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil,
                directory: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["COI_SOCKET"] = nil
    env.merge(environment) { $1 }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    if let input {
        let pipe = Pipe()
        process.standardInput = pipe
        pipe.fileHandleForWriting.write(Data(input.utf8))
        try? pipe.fileHandleForWriting.close()
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}
