public import GRDB

/// A plugin's share of a person's rights of access and erasure.
///
/// `coictl accounts export ID` asks every plugin for what it holds about the account and embeds
/// each answer under `plugins."<plugin id>"`; `coictl accounts erase ID` asks every plugin to
/// remove or pseudonymise it, in the same transaction that turns the account into
/// "former contributor N". Plugins that credit contributions by account id and read the name from
/// `identity_accounts` need not erase anything: the name changes in one place.
public protocol PersonalDataHolder: Sendable {
    /// Everything the plugin holds about one account, as a JSON-serializable value
    /// (dictionaries, arrays, strings, numbers, booleans), or nil when it holds nothing.
    /// - Parameters:
    ///   - accountID: The account.
    ///   - db: A read transaction on the daemon's database.
    /// - Returns: The data, or nil.
    func exportPersonalData(accountID: String, db: Database) throws -> Any?

    /// Removes or pseudonymises the plugin's personal data about one account.
    /// - Parameters:
    ///   - accountID: The account.
    ///   - db: The write transaction the erasure runs in; throwing rolls it all back.
    func erasePersonalData(accountID: String, db: Database) throws
}
