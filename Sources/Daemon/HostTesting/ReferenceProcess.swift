public import Foundation

/// Runs a reference program (R, Python) to completion for a test, with its input, output and errors
/// in temporary files rather than pipes.
///
/// Pipes hang here: Foundation's `Process` lets children started at the same moment (the test
/// suite starts many coid daemons in parallel) inherit the write end of another child's pipe, so
/// reading that pipe to its end waited for an unrelated daemon to exit, and the two blocked
/// cooperative threads stopped the whole test run. A file has no such end to wait for.
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
        let stdin = try FileHandle(forReadingFrom: inPath), stdout = try FileHandle(forWritingTo: outPath)
        let stderr = try FileHandle(forWritingTo: errPath)
        defer {
            try? stdin.close()
            try? stdout.close()
            try? stderr.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: try Data(contentsOf: outPath),
                       errors: String(decoding: try Data(contentsOf: errPath), as: UTF8.self))
    }
}
