public import GRDB

extension AccountNames {
    /// The active person accounts whose e-mail is `email`, compared without regard to case, for
    /// plugins that link people by e-mail (a member list imported from a spreadsheet).
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

    /// Creates an active person account with a name and an e-mail in the caller's transaction, so a
    /// plugin's import that creates people is all or nothing. The caller validates the name and the
    /// address and audits its own write.
    /// - Parameters:
    ///   - db: The write transaction.
    ///   - fullName: The person's full name (required: nobody contributes anonymously).
    ///   - email: Their e-mail address.
    ///   - createdBy: The caller, as written in the audit log.
    ///   - now: The creation time.
    /// - Returns: The new account's id.
    public static func createPerson(_ db: Database, fullName: String, email: String, createdBy: String, now: String) throws -> String {
        let id = Identifier.make("acc")
        try db.execute(sql: """
            INSERT INTO identity_accounts (id, kind, full_name, email, workplace, municipality_code, status, os_user,
                                           created_at, updated_at, created_by)
            VALUES (?, 'person', ?, ?, '', 0, 'active', NULL, ?, ?, ?)
            """, arguments: [id, fullName, email, now, now, createdBy])
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
