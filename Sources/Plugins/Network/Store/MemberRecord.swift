import COIPluginKit
import COIProto
import GRDB

/// A stored member with the account's name and the party's name joined in.
struct MemberRecord: Sendable {
    var seq: Int64
    var id: String
    var ref: String
    var accountID: String
    var fullName: String
    var party: String
    var partyName: String
    var body: Body
    var municipalityCode: Int
    var regionCode: Int
    var role: String
    var termStart: String
    var termEnd: String
    var status: Coi_Network_V1_MemberStatus
    var invitedAt: String
    var activeSince: String
    var ceasedAt: String
    var publicConsent: Bool
    var version: Int64
    var createdAt: String
    var updatedAt: String

    /// The SELECT every read of members starts from; filters follow as a WHERE on alias m.
    static let select = """
        SELECT m.*, COALESCE(a.full_name, '') AS full_name, p.name AS party_name FROM network_members m
        \(AccountNames.join(on: "m.account_id")) JOIN network_parties p ON p.letter = m.party
        """

    init(row: Row) {
        seq = row["seq"]
        id = row["id"]
        ref = row["ref"]
        accountID = row["account_id"]
        fullName = row["full_name"]
        party = row["party"]
        partyName = row["party_name"]
        body = Body(rawValue: row["body"]) ?? .municipalCouncil
        municipalityCode = row["municipality_code"]
        regionCode = row["region_code"]
        role = row["role"]
        termStart = row["term_start"]
        termEnd = row["term_end"]
        status = Coi_Network_V1_MemberStatus(rawValue: row["status"]) ?? .invited
        invitedAt = row["invited_at"]
        activeSince = row["active_since"]
        ceasedAt = row["ceased_at"]
        publicConsent = row["public_consent"]
        version = row["version"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
    }

    /// Members matching a WHERE clause on alias m (with ORDER BY and LIMIT as needed).
    static func fetch(_ db: Database, _ clause: String, _ arguments: StatementArguments = []) throws -> [MemberRecord] {
        try Row.cachedAll(db, sql: select + " " + clause, arguments: arguments).map(MemberRecord.init(row:))
    }

    /// The member with this id.
    /// - Throws: NOT_FOUND naming the field.
    static func require(_ db: Database, id: String, field: String = "id") throws -> MemberRecord {
        guard let record = try fetch(db, "WHERE m.id = ?", [id]).first else {
            throw RPCError(.notFound, "no member \(id)", reason: "NOT_FOUND", fieldViolations: [.init(field: field, description: "no member \(id)")])
        }
        return record
    }

    /// The caller's current (not ceased) membership, if any.
    static func current(_ db: Database, accountID: String) throws -> MemberRecord? {
        try fetch(db, "WHERE m.account_id = ? AND m.status <> 3", [accountID]).first
    }

    var seat: MemberFields {
        get {
            // Read back from storage, so never invalid; built without re-validation.
            MemberFields(stored: party, body: body, municipalityCode: municipalityCode, regionCode: regionCode, role: role,
                         termStart: termStart, termEnd: termEnd)
        }
    }

    var message: Coi_Network_V1_Member {
        .with {
            $0.id = id
            $0.ref = ref
            $0.accountID = accountID
            $0.fullName = fullName
            $0.party = party
            $0.partyName = partyName
            $0.body = Coi_Network_V1_Body(rawValue: body.rawValue) ?? .unspecified
            $0.municipalityCode = Int32(municipalityCode)
            $0.municipality = Denmark.municipality(code: municipalityCode)?.name ?? ""
            $0.regionCode = Int32(regionCode)
            $0.region = Denmark.region(code: regionCode)?.name ?? ""
            $0.role = role
            $0.termStart = termStart
            $0.termEnd = termEnd
            $0.status = status
            $0.invitedAt = invitedAt
            $0.activeSince = activeSince
            $0.ceasedAt = ceasedAt
            $0.publicConsent = publicConsent
            $0.version = version
            $0.createdAt = createdAt
            $0.updatedAt = updatedAt
        }
    }
}
