import Foundation
import Logging
import ServiceLifecycle

/// Writes the exposition to a node-exporter textfile (`[metrics] textfile`) at start, every
/// interval, and once more at stop. Each write goes to a temporary file in the same directory that
/// is then renamed over the target, so the collector never reads half a file; the file is 0644
/// (coid's umask is 0077) because node-exporter runs as another user.
struct MetricsTextfile: Service {
    let path: String
    let interval: Duration
    let metrics: DaemonMetrics
    let logger: Logger

    func run() async throws {
        var failing = false
        func write() {
            do {
                try Self.write(metrics.exposition(), to: path)
                if failing { logger.notice("metrics textfile written again", metadata: ["path": "\(path)"]) }
                failing = false
            } catch {
                // Logged once per run of failures, not every interval.
                if !failing { logger.warning("cannot write the metrics textfile", metadata: ["path": "\(path)", "error": "\(error)"]) }
                failing = true
            }
        }
        write()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
            write()
        }
        // The last counts, so the file does not stop at an older interval.
        write()
    }

    /// Replaces `path` with `text` atomically: write a sibling temporary file, fsync, rename.
    static func write(_ text: String, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/." + (path as NSString).lastPathComponent + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw TextfileError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw TextfileError("cannot write \(temporary): \(reason)")
            }
            written += n
        }
        fchmod(fd, 0o644)
        fsync(fd)
        close(fd)
        guard rename(temporary, path) == 0 else { throw TextfileError("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))") }
        ok = true
    }
}

struct TextfileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
