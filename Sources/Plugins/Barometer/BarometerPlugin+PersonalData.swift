public import COIPluginKit
public import GRDB

extension BarometerPlugin: PersonalDataHolder {
    /// The barometer keeps no account ids: responses are about workplaces. What it holds about a
    /// person is a workplace's contact in a wave's frame, found by the account's e-mail address.
    /// - Parameters:
    ///   - accountID: The account.
    ///   - db: A read transaction.
    /// - Returns: The frame contacts with the account's e-mail, or nil when there are none.
    public func exportPersonalData(accountID: String, db: Database) throws -> Any? {
        let email = try AccountNames.email(db, id: accountID)
        guard !email.isEmpty else { return nil }
        let contacts = try Row.fetchAll(db, sql: """
            SELECT wave_id, unit_id, name, contact_name, contact_email FROM barometer_frame WHERE contact_email = ? COLLATE NOCASE
            ORDER BY wave_id, unit_id
            """, arguments: [email]).map { row -> [String: Any] in
            ["wave_id": row["wave_id"] as String, "unit_id": row["unit_id"] as String, "workplace": row["name"] as String,
             "contact_name": row["contact_name"] as String, "contact_email": row["contact_email"] as String]
        }
        return contacts.isEmpty ? nil : ["frame_contacts": contacts]
    }

    /// Blanks the contact name and e-mail of every frame row whose contact has the account's e-mail,
    /// as `EraseContact` does by address: without it an erased person's name and address stayed in
    /// the frame, in sample exports and in contact look-ups. Identity blanks the account's e-mail
    /// only after every plugin has run, so it is still there to match.
    /// - Parameters:
    ///   - accountID: The account.
    ///   - db: The erasure's write transaction.
    public func erasePersonalData(accountID: String, db: Database) throws {
        let email = try AccountNames.email(db, id: accountID)
        guard !email.isEmpty else { return }
        try db.execute(sql: "UPDATE barometer_frame SET contact_name = '', contact_email = '' WHERE contact_email = ? COLLATE NOCASE",
                       arguments: [email])
    }
}
