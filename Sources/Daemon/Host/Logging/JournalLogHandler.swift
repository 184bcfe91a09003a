import Foundation
public import Logging
public import Synchronization

/// Writes one line per event to stderr with a journald priority prefix (`<6>` for info …), which
/// systemd turns into the entry's priority. Metadata follows as sorted key=value pairs.
public struct JournalLogHandler: LogHandler {
    /// The level every handler reads, so that SIGHUP can change it for all loggers at once.
    public static let level = Mutex<Logger.Level>(.info)

    private let label: String
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public var logLevel: Logger.Level {
        get { Self.level.withLock { $0 } }
        set { Self.level.withLock { $0 = newValue } }
    }

    /// Creates a handler.
    /// - Parameter label: The logger's label.
    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var line = "<\(Self.priority(event.level))>\(event.message)"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(Self.quote("\(value)"))"
        }
        line = line.replacingOccurrences(of: "\n", with: "\\n") + "\n"
        Self.writeToStandardError(line)
    }

    /// Writes a line to stderr as one `write` where it fits, ignoring failures: a line that cannot
    /// be written (stderr closed, or a pipe whose reader has gone: EPIPE, SIGPIPE being ignored)
    /// must not take the daemon down, and there is nowhere left to report it. Foundation's
    /// `FileHandle.write(_:)` traps (SIGILL) on any failed write.
    static func writeToStandardError(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = write(STDERR_FILENO, base + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// The syslog priority journald reads from the prefix.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    static func quote(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) || value.isEmpty
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : value
    }
}
