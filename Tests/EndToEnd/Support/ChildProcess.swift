import COIHostTesting
import Foundation

/// A child process started with posix_spawn and reaped with non-blocking waitpid.
///
/// Foundation's `Process` reaps children on one monitor thread that can block in `wait4` on a
/// single child; with test suites running in parallel on a 2-thread pool that deadlocked. Here
/// nothing blocks a thread: output goes to files and waiting polls.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    private let lock = NSLock()
    private var status: Int32?

    /// Starts `path` with `arguments`.
    /// - Parameters:
    ///   - environment: The full environment of the child.
    ///   - stdin, stdout, stderr: Files to connect (stdout/stderr are appended to).
    ///   - directory: Working directory.
    init(_ path: String, _ arguments: [String], environment: [String: String],
         stdin: String = "/dev/null", stdout: String = "/dev/null", stderr: String = "/dev/null", directory: String? = nil) throws {
        pid = try Spawn.start(path, arguments, environment: environment, stdin: stdin, stdout: stdout, stderr: stderr,
                              directory: directory)
    }

    /// Whether the child is still running (reaps it when it has exited).
    var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        if status != nil { return false }
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, WNOHANG)
        if result == pid {
            status = Spawn.status(raw)
            return false
        }
        return result == 0
    }

    /// The exit code, or the number of the signal that ended it.
    func wait() async -> Int32 {
        while isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        return lock.withLock { status ?? -1 }
    }

    func signal(_ signal: Int32) { kill(pid, signal) }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
        }
    }
}

/// The test process's environment without what would leak into the daemon.
func childEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    for key in ["NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "WATCHDOG_USEC", "COID_CONFIG", "COI_SOCKET"] {
        env[key] = nil
    }
    env.merge(extra) { $1 }
    return env
}

/// Runs a command to completion, returning exit status, stdout and stderr.
func runCommand(_ path: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil,
                directory: String? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coid-cmd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let stdin = dir.appendingPathComponent("in").path
    let stdout = dir.appendingPathComponent("out").path
    let stderr = dir.appendingPathComponent("err").path
    try (input ?? "").write(toFile: stdin, atomically: true, encoding: .utf8)
    let child = try ChildProcess(path, arguments, environment: childEnvironment(environment),
                                 stdin: stdin, stdout: stdout, stderr: stderr, directory: directory)
    let status = await child.wait()
    return (status, (try? String(contentsOfFile: stdout, encoding: .utf8)) ?? "", (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? "")
}
