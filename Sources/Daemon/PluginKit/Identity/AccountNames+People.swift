public import GRDB

// Plugins that import people (placements' seekers, managers and host contacts, network's members)
// find and create person accounts by e-mail here, so identity's table stays known in this one place.
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

    /// The active person accounts whose e-mail is `email`, compared without regard to case, for
    /// plugins that link one person by e-mail (a member list imported from a spreadsheet).
    /// - Parameters:
    ///   - db: The database.
    ///   - email: The address.
    /// - Returns: The matching account ids, oldest first (more than one means the address is ambiguous).
    public static func persons(_ db: Database, email: String) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: """
            SELECT id FROM identity_accounts WHERE kind = 'person' AND status = 'active' AND email = ? COLLATE NOCASE
            ORDER BY created_at, id
            """), arguments: [email])
    }

    /// Creates an active person account, as `Accounts/Create` would with no roles and no OS user, in
    /// the caller's transaction, so a plugin's import that creates people is all or nothing. The
    /// caller checks the fields (a non-empty name, an e-mail address, a municipality code or 0) and
    /// audits its own write.
    /// - Parameters:
    ///   - db: The write transaction.
    ///   - id: The new account's id (a fresh `Identifier.make("acc")` unless the caller chose one).
    ///   - fullName: The person's name (required: nobody contributes anonymously).
    ///   - email: Their e-mail address.
    ///   - workplace: Their workplace, or "".
    ///   - municipalityCode: Their municipality, or 0.
    ///   - createdBy: The caller, as the audit log names it.
    ///   - now: The creation time.
    /// - Returns: The new account's id.
    @discardableResult
    public static func createPerson(_ db: Database, id: String = Identifier.make("acc"), fullName: String, email: String,
                                    workplace: String = "", municipalityCode: Int = 0, createdBy: String,
                                    now: String) throws -> String {
        try db.cachedStatement(sql: """
            INSERT INTO identity_accounts (id, kind, full_name, email, workplace, municipality_code, status, os_user, created_at,
                                           updated_at, created_by)
            VALUES (?, 'person', ?, ?, ?, ?, 'active', NULL, ?, ?, ?)
            """).execute(arguments: [id, fullName, email, workplace, municipalityCode, now, now, createdBy])
        return id
    }

    /// The e-mail of an account as it reads now ("" once erased, or when there is none), for an
    /// administrator's export.
    /// - Parameters:
    ///   - db: The database.
    ///   - id: The account id.
    /// - Returns: The address.
    public static func email(_ db: Database, id: String) throws -> String {
        try String.fetchOne(db.cachedStatement(sql: "SELECT email FROM identity_accounts WHERE id = ?"), arguments: [id]) ?? ""
    }
}
