#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Everything coictl prints goes through here: tables for people, JSON for scripts, errors on
/// stderr, and the rules for a closed pipe.
///
/// With `--json` a single object prints as one JSON document and a list or a stream as JSON lines
/// (one compact object per line), both with proto field names (see `ProtoJSON`).
enum Output {
    /// Whether errors print as JSON; set once by `main` from the command line, before anything runs.
    nonisolated(unsafe) static var jsonErrors = false

    /// A note or error line for people, on stderr.
    static func error(_ line: String) {
        errorText("coictl: \(line)\n")
    }

    /// Writes text to stderr as it is.
    static func errorText(_ text: String) {
        _ = send(Array(text.utf8), to: STDERR_FILENO)
    }

    /// Writes text to stdout. A reader that went away (`| head -1`) ends coictl quietly with status 0.
    ///
    /// Output is written straight to the descriptor, unbuffered, so that a followed feed shows
    /// each line as it comes and a closed pipe is noticed at the write that fails. Every caller
    /// hands over whole lines or tables, so this is one `write(2)` per printed thing.
    /// - Parameter flush: Kept for the callers that stream; writes are never buffered.
    static func out(_ text: String, flush: Bool = false) {
        out(Array(text.utf8))
    }

    /// Writes bytes to stdout as they are (CSV exports).
    static func out(_ data: Data) {
        out([UInt8](data))
    }

    private static func out(_ bytes: [UInt8]) {
        if !send(bytes, to: STDOUT_FILENO) && errno == EPIPE { closedPipe() }
    }

    /// Writes all of `bytes`, retrying on EINTR and partial writes.
    /// - Returns: false when a write failed (errno says why).
    private static func send(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// A line of text for people on stdout, control characters made visible when stdout is a terminal.
    static func line(_ text: String) {
        out((isatty(STDOUT_FILENO) != 0 ? escapeControls(text, keepLayout: true) : text) + "\n")
    }

    /// Prints rows as aligned columns under a header; cells never carry raw control characters.
    static func table(_ header: [String], _ rows: [[String]]) {
        let rows = rows.map { $0.map { escapeControls($0) } }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 || index >= widths.count ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var text = line(header) + "\n"
        for row in rows { text += line(row) + "\n" }
        out(text)
    }

    /// Prints one JSON value: a single document on one line (`pretty` indents it, for `call` without --json).
    static func json(_ value: Any, pretty: Bool = false, flush: Bool = false) {
        out(jsonText(value, pretty: pretty) + "\n", flush: flush)
    }

    /// Prints JSON lines: one compact object per line.
    static func jsonLines(_ values: [Any]) {
        out(values.map { jsonText($0) + "\n" }.joined())
    }

    /// JSON text with sorted keys and unescaped slashes.
    static func jsonText(_ value: Any, pretty: Bool = false) -> String {
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: options) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The reader of stdout is gone: nothing more can be said, and it is not an error (as `yes | head`).
    static func closedPipe() -> Never {
        exit(0)
    }
}
