import COIPluginKit
import GRDB

/// The public event feed for the campaign website: what changed, never who.
enum Events {
    /// Appends an event in the caller's transaction.
    /// - Parameters:
    ///   - db: The write transaction.
    ///   - seasonID: The season.
    ///   - kind: e.g. "phase.changed".
    ///   - subject: The id the event is about.
    ///   - detail: A phase or a count.
    static func append(_ db: Database, seasonID: String, kind: String, subject: String, detail: String = "") throws {
        try db.run(sql: "INSERT INTO placements_events (time, season_id, kind, subject, detail) VALUES (?, ?, ?, ?, ?)",
                   arguments: [Timestamp.now(), seasonID, kind, subject, detail])
    }
}
