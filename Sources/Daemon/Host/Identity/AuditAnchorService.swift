import Logging
import ServiceLifecycle

/// Logs the audit log's head ("audit head", sequence and hash) at start, every interval and at
/// stop. The journal, or wherever it is shipped, then holds anchors outside the database: removing
/// the newest audit entries leaves a valid shorter chain, which only an older anchor reveals
/// (`coictl audit verify` with `anchor_sequence`/`anchor_hash`).
struct AuditAnchorService: Service {
    let audit: AuditLog
    let interval: Duration?
    let logger: Logger

    func run() async throws {
        await log(when: "start")
        guard let interval else { return }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            await log(when: "interval")
        }
    }

    /// Logs the head once.
    /// - Parameter when: "start", "interval" or "stop", for the log line.
    func log(when: String) async {
        do {
            let head = try await audit.head()
            logger.notice("audit head", metadata: ["sequence": "\(head.sequence)", "hash": "\(head.hash)", "key_id": "\(head.keyID)",
                                                   "at": "\(when)"])
        } catch {
            logger.error("audit head could not be read", metadata: ["error": "\(error)"])
        }
    }
}
