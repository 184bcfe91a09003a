public import GRDB

// Plugins that import people (placements' CSV import links seekers, managers and host contacts by
// e-mail) find and create person accounts here, so identity's table stays known in this one place.
extension AccountNames {
    /// Active person accounts by lower-cased e-mail, read in one scan (there is no e-mail index);
    /// when several share an address the oldest account wins.
    /// - Parameter db: The database.
    /// - Returns: E-mail → account id.
    public static func peopleByEmail(_ db: Database) throws -> [String: String] {
        var people: [String: String] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT id, lower(email) FROM identity_accounts WHERE kind = 'person' AND status = 'active' AND email != '' ORDER BY rowid
            """))
        while let row = try rows.next() {
            let email: String = row[1]
            if people[email] == nil { people[email] = row[0] }
        }
        return people
    }

    /// Creates an active person account, as `Accounts/Create` would with no roles and no OS user.
    /// The caller checks the fields (a non-empty name, an e-mail address, a municipality code or 0).
    /// - Parameters:
    ///   - db: The write transaction.
    ///   - id: The new account's id (`Identifier.make("acc")`).
    ///   - fullName: The person's name.
    ///   - email: Their e-mail address.
    ///   - workplace: Their workplace, or "".
    ///   - municipalityCode: Their municipality, or 0.
    ///   - createdBy: The caller, as the audit log names it.
    ///   - now: The creation time.
    public static func createPerson(_ db: Database, id: String, fullName: String, email: String, workplace: String = "",
                                    municipalityCode: Int = 0, createdBy: String, now: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO identity_accounts (id, kind, full_name, email, workplace, municipality_code, status, os_user, created_at,
                                           updated_at, created_by)
            VALUES (?, 'person', ?, ?, ?, ?, 'active', NULL, ?, ?, ?)
            """).execute(arguments: [id, fullName, email, workplace, municipalityCode, now, now, createdBy])
    }
}
