import GRDB

extension Store {
    /// Thrown when the database was written by a newer coid than this one.
    public struct SupersededSchema: Error, Sendable, CustomStringConvertible {
        public let pluginID: String
        public let unknownMigrations: [String]
        public var description: String {
            "the database was written by a newer coid: plugin \(pluginID) has migrations this version does not know "
                + "(\(unknownMigrations.joined(separator: ", "))); refusing to start — upgrade coid or restore a backup"
        }
    }

    /// Applies a plugin's pending migrations, each in its own transaction, recording them under
    /// "<plugin id>/<identifier>" in GRDB's migration table.
    /// - Parameters:
    ///   - pluginID: The plugin owning the migrations.
    ///   - migrations: All of the plugin's migrations, oldest first.
    /// - Returns: The identifier of the latest migration applied, or "" when there are none.
    /// - Throws: `SupersededSchema` if the database knows migrations this build does not; SQLite errors.
    @discardableResult
    public func migrate(pluginID: String, migrations: [Migration]) async throws -> String {
        let prefix = pluginID + "/"
        let migrator = migrations.reduce(into: DatabaseMigrator()) { migrator, migration in
            migrator.registerMigration(prefix + migration.identifier, migrate: migration.apply)
        }
        let known = Set(migrations.map { prefix + $0.identifier })
        let applied = try await pool.read { db in try migrator.appliedIdentifiers(db) }
        let unknown = applied.filter { $0.hasPrefix(prefix) && !known.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw SupersededSchema(pluginID: pluginID, unknownMigrations: unknown.map { String($0.dropFirst(prefix.count)) })
        }
        try migrator.migrate(pool)
        return migrations.last?.identifier ?? ""
    }
}
