import COIPluginKit
import COIProto
import COIWire
import GRDB

/// Reads offers as messages, with the contact's name and the count of seekers placed.
enum OfferRecord {
    static let select = """
        SELECT o.*, COALESCE(a.full_name, '') AS contact_name,
               (SELECT COUNT(*) FROM placements_results r WHERE r.offer_id = o.id) AS placed
        FROM placements_offers o \(AccountNames.join(on: "o.contact_id"))
        """

    static func message(_ row: Row) -> Coi_Placements_V1_Offer {
        let municipality = Denmark.municipality(code: row["municipality_code"])
        let dates: String = row["dates"]
        return .with {
            $0.id = row["id"]
            $0.seasonID = row["season_id"]
            $0.ref = row["ref"]
            $0.title = row["title"]
            $0.hostWorkplace = row["host_workplace"]
            $0.level = Coi_Placements_V1_Level(rawValue: row["level"]) ?? .unspecified
            $0.municipalityCode = row["municipality_code"]
            $0.municipality = municipality?.name ?? ""
            $0.region = municipality?.region.id ?? ""
            $0.regionName = municipality?.region.name ?? ""
            $0.sector = row["sector"]
            $0.description_p = row["description"]
            $0.capacity = row["capacity"]
            $0.days = row["days"]
            $0.dates = dates.isEmpty ? [] : dates.split(separator: ",").map(String.init)
            $0.conditions = row["conditions"]
            $0.contactID = row["contact_id"]
            $0.contactName = row["contact_name"]
            $0.published = row["published"]
            $0.placed = row["placed"]
            $0.createdAt = row["created_at"]
            $0.updatedAt = row["updated_at"]
        }
    }

    /// The offer as a row, or NOT_FOUND naming the field.
    static func require(_ db: Database, id: String, field: String = "offer_id") throws -> Row {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let row = try Row.cachedOne(db, sql: select + " WHERE o.id = ?", arguments: [id]) else {
            throw RPCError(.notFound, "no offer \(id)", reason: "NOT_FOUND", fieldViolations: [.init(field: field, description: "no such offer")])
        }
        return row
    }

    /// The folded text searched by `Offers/Search`.
    static func searchText(title: String, workplace: String, sector: String, description: String, municipality: String) -> String {
        " " + DanishFolding.fold([title, workplace, sector, description, municipality].joined(separator: " ")) + " "
    }
}
