import COIPluginKit
import GRDB

/// Who reads a campaign's nominations, and so what they may see.
struct Viewer: Sendable {
    /// The caller's account, if named.
    var accountID: String?
    /// Screeners, moderators and managers of the campaign see every nomination.
    var seesAll: Bool
    /// Jurors of the campaign see every nomination, without names under blind review.
    var juror: Bool

    /// The viewer for a call about one campaign.
    /// - Parameters:
    ///   - context: The call.
    ///   - campaignID: The campaign.
    ///   - db: A connection.
    /// - Returns: The viewer.
    static func of(_ context: RequestContext, campaignID: String, db: Database) throws -> Viewer {
        let principal = context.principal
        let scope = "campaign:\(campaignID)"
        let seesAll = principal.can("nominations.screen", in: scope) || principal.can("nominations.moderate", in: scope)
            || principal.can("nominations.manage", in: scope)
        var juror = false
        if let account = principal.account?.id {
            juror = try Bool.cachedOne(db, sql: "SELECT 1 FROM nominations_jurors WHERE campaign_id = ? AND account_id = ?",
                                      arguments: [campaignID, account]) ?? false
        }
        return Viewer(accountID: principal.account?.id, seesAll: seesAll, juror: juror)
    }
}
