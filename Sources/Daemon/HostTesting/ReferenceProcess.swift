public import Foundation

/// Runs a reference program (R, Python) to completion for a test, with its input, output and errors
/// in temporary files rather than pipes.
///
/// Pipes hang here: Foundation's `Process` lets children started at the same moment (the test
/// suite starts many coid daemons in parallel) inherit the write end of another child's pipe, so
/// reading that pipe to its end waited for an unrelated daemon to exit, and the two blocked
/// cooperative threads stopped the whole test run. A file has no such end to wait for.
///
/// Nor is `Process` used to wait: its single monitor thread once missed an R child's exit (the
/// child a zombie, `waitUntilExit` waiting for ever, the run stopped). The program is started with
/// posix_spawn and reaped with waitpid on its own pid, as the end-to-end tests' `ChildProcess` does.
public enum ReferenceProcess {
    /// What the program did.
    public struct Outcome: Sendable {
        /// Its exit status.
        public var status: Int32
        /// Its standard output.
        public var output: Data
        /// Its standard error, as text.
        public var errors: String
    }

    /// Runs `executable` with `arguments`, `input` on its standard input, and waits for it to exit.
    /// - Parameters:
    ///   - executable: The program's path.
    ///   - arguments: Its arguments.
    ///   - environment: Variables set on top of this process's environment.
    ///   - input: Its standard input (none: empty).
    /// - Returns: Its status, output and errors.
    /// - Throws: When it cannot be started or the temporary files cannot be made.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           input: Data = Data()) throws -> Outcome {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coid-ref-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inPath = directory.appendingPathComponent("in"), outPath = directory.appendingPathComponent("out")
        let errPath = directory.appendingPathComponent("err")
        try input.write(to: inPath)
        try Data().write(to: outPath)
        try Data().write(to: errPath)
        let status = try spawnAndWait(executable, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                                      stdin: inPath.path, stdout: outPath.path, stderr: errPath.path)
        return Outcome(status: status, output: try Data(contentsOf: outPath),
                       errors: String(decoding: try Data(contentsOf: errPath), as: UTF8.self))
    }

    /// Starts the program with its standard streams on the given files and waits for it.
    /// - Returns: Its exit code, or 128 + the signal that ended it.
    private static func spawnAndWait(_ executable: String, _ arguments: [String], environment: [String: String],
                                     stdin: String, stdout: String, stderr: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_TRUNC, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_TRUNC, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "cannot start \(executable): \(String(cString: strerror(rc)))"])
        }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        return (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }
}
