import COIPluginKit
import GRDB

/// Seeds today's national parties when the plugin's tables are created.
enum PartySeed {
    /// Inserts the national parties.
    /// - Parameter db: The migration's transaction.
    static func apply(_ db: Database) throws {
        let now = Timestamp.now()
        for party in NetworkSchema.nationalParties {
            try db.execute(sql: "INSERT INTO network_parties (letter, name, national, created_by, created_at) VALUES (?, ?, 1, 'migration', ?)",
                           arguments: [party.letter, party.name, now])
        }
    }
}
