import COIPluginKit
import COIProto
import COIWire
import GRDB

/// An offer's checked fields, from a request or an imported CSV row.
struct OfferFields: Sendable {
    var ref: String
    var title: String
    var hostWorkplace: String
    var level: Coi_Placements_V1_Level
    var municipality: Municipality
    var sector: String
    var description: String
    var capacity: Int
    var days: Int
    var dates: [String]
    var conditions: String

    init(ref: String, title: String, hostWorkplace: String, level: Coi_Placements_V1_Level, municipality: Municipality, sector: String,
         description: String, capacity: Int, days: Int, dates: [String], conditions: String) {
        self.ref = ref
        self.title = title
        self.hostWorkplace = hostWorkplace
        self.level = level
        self.municipality = municipality
        self.sector = sector
        self.description = description
        self.capacity = capacity
        self.days = days
        self.dates = dates
        self.conditions = conditions
    }

    /// Checks a request's fields.
    init(_ request: Coi_Placements_V1_CreateOfferRequest) throws {
        ref = try Validation.text(request.ref, "ref", limit: 64, required: false)
        title = try Validation.text(request.title, "title", limit: 200)
        hostWorkplace = try Validation.text(request.hostWorkplace, "host_workplace", limit: 200)
        level = try Validation.level(request.level, "level")
        municipality = try Validation.municipality(request.municipalityCode, "municipality_code")
        sector = try Validation.text(request.sector, "sector", limit: 100, required: false)
        description = try Validation.text(request.description_p, "description", limit: 5000, required: false)
        guard (1...3).contains(request.capacity) else { throw RPCError.invalidField("capacity", "hosts take 1–3 seekers, is \(request.capacity)") }
        capacity = Int(request.capacity)
        guard (1...5).contains(request.days) else { throw RPCError.invalidField("days", "must be 1–5 days, is \(request.days)") }
        days = Int(request.days)
        var dates: [String] = []
        for (index, text) in request.dates.enumerated() {
            guard let date = try Validation.date(text, "dates[\(index)]") else { throw RPCError.invalidField("dates[\(index)]", "is empty") }
            if dates.contains(date.description) { throw RPCError.invalidField("dates[\(index)]", "\(date) is given twice") }
            dates.append(date.description)
        }
        self.dates = dates.sorted()
        conditions = try Validation.text(request.conditions, "conditions", limit: 2000, required: false)
    }

    /// Inserts the offer (the season and contact already checked); a repeated ref is ALREADY_EXISTS.
    func insert(_ db: Database, id: String, seasonID: String, contactID: String, published: Bool, now: String = Timestamp.now()) throws {
        if !ref.isEmpty, try Bool.cachedOne(db, sql: "SELECT 1 FROM placements_offers WHERE season_id = ? AND ref = ?",
                                            arguments: [seasonID, ref]) ?? false {
            throw RPCError(.alreadyExists, "season \(seasonID) already has an offer with ref \(ref)", reason: "ALREADY_EXISTS",
                           fieldViolations: [.init(field: "ref", description: "already used in this season")])
        }
        try db.run(sql: """
            INSERT INTO placements_offers (id, season_id, ref, title, host_workplace, level, municipality_code, region_code, sector,
                description, capacity, days, dates, conditions, contact_id, published, search_text, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, seasonID, ref, title, hostWorkplace, level.rawValue, municipality.code, municipality.regionCode, sector,
                             description, capacity, days, dates.joined(separator: ","), conditions, contactID, published,
                             OfferRecord.searchText(title: title, workplace: hostWorkplace, sector: sector, description: description,
                                                    municipality: municipality.name),
                             now, now])
    }
}
