import COIHostTesting
import Foundation

/// Runs `Reference/estimates.R` (kept beside this directory in the source tree) with Rscript, and
/// reads and writes the CSV files it exchanges with the tests.
enum RReference {
    /// Rscript on PATH, if any.
    static let rscript: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/Rscript" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Whether Rscript exists and can load the survey package.
    static let available: Bool = {
        guard let rscript else { return false }
        return (try? run(rscript, ["-e", "suppressPackageStartupMessages(library(survey))"])) != nil
    }()

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Reference/estimates.R").path

    /// Runs the script in a mode on a directory.
    static func estimates(_ mode: String, directory: URL) throws {
        guard let rscript else { throw Failure(message: "no Rscript") }
        try run(rscript, ["--vanilla", script, mode, directory.path])
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let outcome = try ReferenceProcess.run(executable, arguments, environment: ["LANG": "C.UTF-8"])
        guard outcome.status == 0 else {
            throw Failure(message: "\(executable) \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.errors)")
        }
        return String(decoding: outcome.output, as: UTF8.self)
    }

    /// A temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("barometer-r-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes a CSV file, every field quoted.
    static func write(_ rows: [[String]], to url: URL) throws {
        let text = rows.map { $0.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }
            .joined(separator: "\n") + "\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Reads a CSV file as R's write.csv writes it, header included.
    static func read(_ url: URL) throws -> [[String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, wasQuoted = false
        var characters = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"": quoted = true; wasQuoted = true
            case ",": row.append(field); field = ""; wasQuoted = false
            case "\n", "\r\n":
                row.append(field); field = ""; wasQuoted = false
                rows.append(row); row = []
            default: field.append(character)
            }
        }
        if !field.isEmpty || wasQuoted || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// Rows of a CSV file as dictionaries keyed by the header.
    static func records(_ url: URL) throws -> [[String: String]] {
        let rows = try read(url)
        guard let header = rows.first else { return [] }
        return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}
