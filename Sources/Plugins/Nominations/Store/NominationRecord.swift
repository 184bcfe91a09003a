import COIPluginKit
import COIProto
import COIWire
import GRDB

/// A nomination row with its nominees.
struct NominationRecord: Sendable {
    struct Nominee: Sendable {
        var name: String
        var accountID: String
        var consentedAt: String
    }

    var seq: Int64
    var id: String
    var campaignID: String
    var nominatorID: String
    var nominatorName: String
    var workplace: String
    var municipalityCode: Int
    var regionCode: Int
    var title: String
    var idea: String
    var difference: String
    var origin: String
    var originWikiCase: String
    var state: Coi_Nominations_V1_NominationState
    var stateReason: String
    var hidden: Bool
    var openReports: Int
    var endorsements: Int
    var duplicateOf: String
    var submittedAt: String
    var updatedAt: String
    var version: Int64
    var nominees: [Nominee] = []

    static let select = """
        SELECT n.*, COALESCE(a.full_name, '') AS nominator_name,
               (SELECT COUNT(*) FROM nominations_reports r WHERE r.nomination_id = n.id AND r.dismissed = 0) AS open_reports
        FROM nominations_nominations n \(AccountNames.join(on: "n.nominator_id"))
        """

    init(row: Row) {
        seq = row["seq"]
        id = row["id"]
        campaignID = row["campaign_id"]
        nominatorID = row["nominator_id"]
        nominatorName = row["nominator_name"]
        workplace = row["workplace"]
        municipalityCode = row["municipality_code"]
        regionCode = row["region_code"]
        title = row["title"]
        idea = row["idea"]
        difference = row["difference"]
        origin = row["origin"]
        originWikiCase = row["origin_wiki_case"]
        state = Coi_Nominations_V1_NominationState(rawValue: row["state"]) ?? .unspecified
        stateReason = row["state_reason"]
        hidden = row["hidden"]
        openReports = row["open_reports"]
        endorsements = row["endorsements"]
        duplicateOf = row["duplicate_of"]
        submittedAt = row["submitted_at"]
        updatedAt = row["updated_at"]
        version = row["version"]
    }

    /// Loads a nomination with its nominees.
    /// - Parameters:
    ///   - db: A connection.
    ///   - id: The nomination id.
    ///   - field: The request field, for the error.
    /// - Returns: The nomination.
    /// - Throws: NOT_FOUND.
    static func require(_ db: Database, id: String, field: String = "nomination_id") throws -> NominationRecord {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let row = try Row.cachedOne(db, sql: select + " WHERE n.id = ?", arguments: [id]) else {
            throw RPCError(.notFound, "no nomination \(id)", reason: "NOMINATION_NOT_FOUND")
        }
        var record = NominationRecord(row: row)
        try attachNominees(db, to: &record)
        return record
    }

    /// Loads nominations by a WHERE clause, with their nominees.
    /// - Parameters:
    ///   - db: A connection.
    ///   - clause: SQL after the select, e.g. "WHERE n.campaign_id = ? ORDER BY n.seq".
    ///   - arguments: Its bound arguments.
    /// - Returns: The nominations.
    static func fetch(_ db: Database, _ clause: String, _ arguments: StatementArguments) throws -> [NominationRecord] {
        var records = try Row.fetchAll(db, sql: select + " " + clause, arguments: arguments).map(NominationRecord.init(row:))
        guard !records.isEmpty else { return records }
        var byID: [String: Int] = [:]
        for (index, record) in records.enumerated() { byID[record.id] = index }
        let placeholders = Array(repeating: "?", count: records.count).joined(separator: ",")
        let rows = try Row.fetchAll(db, sql: """
            SELECT nomination_id, name, account_id, consented_at FROM nominations_nominees
            WHERE nomination_id IN (\(placeholders)) ORDER BY nomination_id, position
            """, arguments: StatementArguments(records.map(\.id)))
        for row in rows {
            if let index = byID[row["nomination_id"]] {
                records[index].nominees.append(Nominee(name: row["name"], accountID: row["account_id"], consentedAt: row["consented_at"]))
            }
        }
        return records
    }

    static func attachNominees(_ db: Database, to record: inout NominationRecord) throws {
        record.nominees = try Row.cachedAll(db, sql: """
            SELECT name, account_id, consented_at FROM nominations_nominees WHERE nomination_id = ? ORDER BY position
            """, arguments: [record.id]).map { Nominee(name: $0["name"], accountID: $0["account_id"], consentedAt: $0["consented_at"]) }
    }

    /// Every nominee has consented.
    var consented: Bool { nominees.allSatisfy { !$0.consentedAt.isEmpty } }

    /// Whether anyone with nominations.read may see it.
    var isPublic: Bool { consented && !hidden && state != .withdrawn && state != .ineligible }

    /// Whether the caller is the nominator or one of the nominees.
    func involves(_ accountID: String?) -> Bool {
        guard let accountID else { return false }
        return nominatorID == accountID || nominees.contains { $0.accountID == accountID }
    }

    /// Whether `viewer` may see the nomination at all.
    func visible(to viewer: Viewer) -> Bool {
        viewer.seesAll || viewer.juror || involves(viewer.accountID) || isPublic
    }

    /// Fails with NOT_FOUND unless `viewer` may see it (existence is not revealed either).
    func requireVisible(to viewer: Viewer) throws {
        guard visible(to: viewer) else { throw RPCError(.notFound, "no nomination \(id)", reason: "NOMINATION_NOT_FOUND") }
    }

    /// The nomination as sent to `viewer`: names hidden from jurors under blind review.
    /// - Parameters:
    ///   - viewer: Who asks.
    ///   - blind: Whether the campaign uses blind review.
    /// - Returns: The message.
    func message(for viewer: Viewer, blind: Bool) -> Coi_Nominations_V1_Nomination {
        let hideNames = blind && viewer.juror && !viewer.seesAll && !involves(viewer.accountID)
        let municipality = Denmark.municipality(code: municipalityCode)
        return .with {
            $0.id = id
            $0.campaignID = campaignID
            $0.nominatorID = hideNames ? "" : nominatorID
            $0.nominatorName = hideNames ? "" : nominatorName
            $0.nominees = nominees.map { nominee in
                .with {
                    $0.name = hideNames ? "" : nominee.name
                    $0.accountID = hideNames ? "" : nominee.accountID
                    $0.consentedAt = nominee.consentedAt
                }
            }
            $0.workplace = workplace
            $0.municipalityCode = Int32(municipalityCode)
            $0.municipality = municipality?.name ?? ""
            $0.region = municipality?.region.id ?? ""
            $0.regionName = municipality?.region.name ?? ""
            $0.title = title
            $0.idea = idea
            $0.difference = difference
            $0.origin = origin
            $0.originWikiCase = originWikiCase
            $0.state = state
            $0.stateReason = stateReason
            $0.consented = consented
            $0.hidden = hidden
            $0.openReports = Int32(openReports)
            $0.endorsements = Int32(endorsements)
            $0.duplicateOf = duplicateOf
            $0.submittedAt = submittedAt
            $0.updatedAt = updatedAt
            $0.version = version
        }
    }
}
