import COIPluginKit
import COIProto
import COIWire
import GRDB

/// Reads seekers as messages, with their and their manager's names.
enum SeekerRecord {
    static let select = """
        SELECT s.*, COALESCE(a.full_name, '') AS name, COALESCE(m.full_name, '') AS manager_name,
               (SELECT COUNT(*) FROM placements_choices c WHERE c.seeker_id = s.id) AS choices
        FROM placements_seekers s \(AccountNames.join(on: "s.account_id"))
        \(AccountNames.join(on: "s.manager_id", as: "m"))
        """

    static func message(_ row: Row) -> Coi_Placements_V1_Seeker {
        let municipality = Denmark.municipality(code: row["municipality_code"])
        return .with {
            $0.id = row["id"]
            $0.seasonID = row["season_id"]
            $0.ref = row["ref"]
            $0.accountID = row["account_id"]
            $0.name = row["name"]
            $0.homeWorkplace = row["home_workplace"]
            $0.level = Coi_Placements_V1_Level(rawValue: row["level"]) ?? .unspecified
            $0.municipalityCode = row["municipality_code"]
            $0.municipality = municipality?.name ?? ""
            $0.region = municipality?.region.id ?? ""
            $0.regionName = municipality?.region.name ?? ""
            $0.role = row["role"]
            $0.learningGoals = row["learning_goals"]
            $0.managerID = row["manager_id"]
            $0.managerName = row["manager_name"]
            $0.approval = Coi_Placements_V1_Approval(rawValue: row["approval"]) ?? .unspecified
            $0.approvalReason = row["approval_reason"]
            $0.approvalAt = row["approval_at"]
            $0.choices = row["choices"]
            $0.createdAt = row["created_at"]
        }
    }

    /// The seeker as a row, or NOT_FOUND naming the field.
    static func require(_ db: Database, id: String, field: String = "seeker_id") throws -> Row {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let row = try Row.cachedOne(db, sql: select + " WHERE s.id = ?", arguments: [id]) else {
            throw RPCError(.notFound, "no seeker \(id)", reason: "NOT_FOUND", fieldViolations: [.init(field: field, description: "no such seeker")])
        }
        return row
    }

    /// Whether the caller may see or act for the seeker: the person, their manager, or a coordinator.
    static func mayAccess(_ row: Row, _ context: RequestContext, managerToo: Bool = true) -> Bool {
        let me = context.principal.account?.id
        return me == row["account_id"] as String || (managerToo && me == row["manager_id"] as String)
            || context.principal.can("placements.manage", in: "season:\(row["season_id"] as String)")
    }
}
