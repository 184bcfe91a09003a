import COIProto
public import COIPluginKit
public import GRDB

/// A contact person who also has an account is reached through the kit's personal-data path:
/// `coictl accounts export ID` lists the frame entries naming the account's e-mail address, and
/// `coictl accounts erase ID` blanks them in the same transaction that erases the account. Contacts
/// without an account are found by address (`coictl barometer contacts export|erase EMAIL`).
extension BarometerPlugin: PersonalDataHolder {
    /// The frame entries that name the account's e-mail address as the workplace's contact.
    /// - Parameters:
    ///   - accountID: The account.
    ///   - db: A read transaction.
    /// - Returns: `["contacts": [...]]`, or nil when no frame names the address.
    public func exportPersonalData(accountID: String, db: Database) throws -> Any? {
        guard let email = try Self.email(of: accountID, db) else { return nil }
        let contacts = try Contacts.find(db, email: email)
        return contacts.isEmpty ? nil : ["contacts": Contacts.json(contacts)]
    }

    /// Blanks the contact name and address of every frame entry naming the account's address.
    /// - Parameters:
    ///   - accountID: The account.
    ///   - db: The erasure's write transaction (it runs before the account's own address is blanked).
    public func erasePersonalData(accountID: String, db: Database) throws {
        guard let email = try Self.email(of: accountID, db) else { return }
        _ = try Contacts.erase(db, email: email)
    }

    /// The account's e-mail address, or nil when it has none.
    static func email(of accountID: String, _ db: Database) throws -> String? {
        let email = try String.fetchOne(db, sql: "SELECT email FROM identity_accounts WHERE id = ?", arguments: [accountID]) ?? ""
        return email.contains("@") ? email : nil
    }
}
