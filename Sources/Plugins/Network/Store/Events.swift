import COIPluginKit
import GRDB

/// The public event feed: what changed, never who, so a website can follow it anonymously and
/// fetch details through the consent-checked reads.
enum Events {
    /// Appends an event in the caller's transaction.
    /// - Parameters:
    ///   - db: The write transaction.
    ///   - kind: e.g. "member.activated".
    ///   - subject: The id the event is about.
    ///   - detail: A state or a count.
    static func append(_ db: Database, _ kind: String, _ subject: String, detail: String = "") throws {
        try db.run(sql: "INSERT INTO network_events (time, kind, subject, detail) VALUES (?, ?, ?, ?)",
                   arguments: [Timestamp.now(), kind, subject, detail])
    }
}
