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
        let pid = try Spawn.start(executable, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                                  stdin: inPath.path, stdout: outPath.path, stderr: errPath.path)
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
        let status = Spawn.status(raw)
        return Outcome(status: status, output: try Data(contentsOf: outPath),
                       errors: String(decoding: try Data(contentsOf: errPath), as: UTF8.self))
    }
}
