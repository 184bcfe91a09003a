import COIPluginKit
import GRDB

/// The public event feed: what changed, never who or any personal data, so the campaign website
/// can follow it anonymously and fetch details through the normal (consent-checked) reads.
enum Events {
    /// Appends an event in the caller's transaction.
    /// - Parameters:
    ///   - db: The write transaction.
    ///   - campaignID: The campaign ("" for idea storms).
    ///   - kind: e.g. "phase.changed".
    ///   - subject: The id the event is about.
    ///   - detail: A phase, a state or a count.
    ///   - time: When it happened; now if not given.
    static func append(_ db: Database, campaignID: String, kind: String, subject: String, detail: String = "", time: String? = nil) throws {
        try db.run(sql: "INSERT INTO nominations_events (time, campaign_id, kind, subject, detail) VALUES (?, ?, ?, ?, ?)",
                   arguments: [time ?? Timestamp.now(), campaignID, kind, subject, detail])
    }
}
