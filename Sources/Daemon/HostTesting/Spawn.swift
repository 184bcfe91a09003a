public import Foundation

/// Starts a child process with posix_spawn, its standard streams on files; shared by the reference
/// programs (`ReferenceProcess`) and the end-to-end tests' daemons and commands.
///
/// Foundation's `Process` is not used: its single monitor thread once missed a child's exit and
/// stopped the test run, and its pipes leaked into children started at the same moment.
public enum Spawn {
    /// Why a program could not be started.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `path` with `arguments`.
    /// - Parameters:
    ///   - environment: The child's whole environment.
    ///   - stdin: File for standard input.
    ///   - stdout: File standard output is appended to (created if missing).
    ///   - stderr: File standard error is appended to (created if missing).
    ///   - directory: Working directory; the current one when nil.
    /// - Returns: The child's pid; the caller reaps it with waitpid.
    public static func start(_ path: String, _ arguments: [String], environment: [String: String],
                             stdin: String = "/dev/null", stdout: String = "/dev/null", stderr: String = "/dev/null",
                             directory: String? = nil) throws -> pid_t {
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
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, program, &actions, nil, argv, envp)
        guard rc == 0 else { throw Failure(description: "cannot start \(path): \(String(cString: strerror(rc)))") }
        return pid
    }

    /// The exit code in a waitpid status, or the number of the signal that ended the child.
    public static func status(_ raw: Int32) -> Int32 {
        (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : raw & 0x7f
    }
}
