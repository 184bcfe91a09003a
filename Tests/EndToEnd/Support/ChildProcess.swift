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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        // Glibc's addchdir_np is not visible to Swift: a shell changes directory, then execs.
        let (program, args) = directory.map { ("/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", $0, path] + arguments) } ?? (path, arguments)
        let argv = ([program] + args).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, program, &actions, nil, argv, envp)
        guard rc == 0 else { throw DaemonError("cannot start \(path): \(String(cString: strerror(rc)))") }
        pid = child
    }

    /// Whether the child is still running (reaps it when it has exited).
    var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        if status != nil { return false }
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, WNOHANG)
        if result == pid {
            // Exit code, or the signal that ended it.
            status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : raw & 0x7f
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
