import COIPluginKit
import COIProto
import COIWire
import GRDB

/// Reads exchanges as messages, with both people's names and workplaces.
enum ExchangeRecord {
    static let select = """
        SELECT e.*, COALESCE(a.full_name, '') AS seeker_name, s.home_workplace AS seeker_workplace, s.account_id AS seeker_account,
               COALESCE(b.full_name, '') AS partner_name, p.home_workplace AS partner_workplace, p.account_id AS partner_account
        FROM placements_exchanges e JOIN placements_seekers s ON s.id = e.seeker_id JOIN placements_seekers p ON p.id = e.partner_id
        \(AccountNames.join(on: "s.account_id")) \(AccountNames.join(on: "p.account_id", as: "b"))
        """

    /// The stored status codes (the proto's values), for SQL.
    static let proposed = Coi_Placements_V1_ExchangeStatus.proposed.rawValue
    static let placed = Coi_Placements_V1_ExchangeStatus.placed.rawValue

    static func message(_ row: Row) -> Coi_Placements_V1_Exchange {
        .with {
            $0.id = row["id"]
            $0.seasonID = row["season_id"]
            $0.seekerID = row["seeker_id"]
            $0.seekerName = row["seeker_name"]
            $0.seekerWorkplace = row["seeker_workplace"]
            $0.partnerID = row["partner_id"]
            $0.partnerName = row["partner_name"]
            $0.partnerWorkplace = row["partner_workplace"]
            $0.days = row["days"]
            $0.note = row["note"]
            $0.status = Coi_Placements_V1_ExchangeStatus(rawValue: row["status"]) ?? .unspecified
            $0.reason = row["reason"]
            let offers = [row["seeker_offer_id"] as String, row["partner_offer_id"] as String].filter { !$0.isEmpty }
            $0.offerIds = offers
            $0.createdAt = row["created_at"]
            $0.decidedAt = row["decided_at"]
        }
    }

    /// The exchange as a row, or NOT_FOUND naming the field.
    static func require(_ db: Database, id: String, field: String = "id") throws -> Row {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let row = try Row.cachedOne(db, sql: select + " WHERE e.id = ?", arguments: [id]) else {
            throw RPCError(.notFound, "no exchange \(id)", reason: "NOT_FOUND", fieldViolations: [.init(field: field, description: "no such exchange")])
        }
        return row
    }

    /// Whether the caller is one of the two people, or coordinates the season.
    static func mayAccess(_ row: Row, _ context: RequestContext) -> Bool {
        let me = context.principal.account?.id
        return me == row["seeker_account"] as String || me == row["partner_account"] as String
            || context.principal.can("placements.manage", in: "season:\(row["season_id"] as String)")
    }
}
