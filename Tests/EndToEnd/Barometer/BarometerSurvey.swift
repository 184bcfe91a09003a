import Foundation

/// A small survey wave generated from a seed: a frame of Danish public workplaces (names with æ, ø
/// and å, some with commas), a questionnaire of every estimable type with routing, and answers for
/// a share of the sampled units.
struct BarometerSurvey {
    static let levels = ["kommune", "region", "stat"]
    static let sectors = ["social", "skole", "teknik"]
    static let sizes = ["1-9", "10-49", "50+"]
    /// Municipality codes in all five regions.
    static let municipalities = [101, 147, 751, 851, 461, 259, 330, 615]

    struct Unit {
        var id: String
        var name: String
        var level: String
        var sector: String
        var size: String
        var municipality: Int
    }

    var units: [Unit] = []
    private var state: UInt64

    init(units count: Int, seed: UInt64) {
        state = seed
        for index in 0..<count {
            let level = Self.levels[below(3)], sector = Self.sectors[below(3)]
            units.append(Unit(id: String(format: "U%05d", index + 1),
                              name: index % 7 == 0 ? "Skolen på Åsen, afd. \(index)" : "Børnehus Ærtebjerg \(index)",
                              level: level, sector: sector, size: Self.sizes[below(3)], municipality: Self.municipalities[below(8)]))
        }
    }

    /// A linear congruential generator: the test's data need only be the same on every run.
    private mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }

    private mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    var frameCSV: String {
        var text = "unit_id,name,level,sector,size_class,municipality_code,budget,contact_name,contact_email\n"
        for unit in units {
            let name = unit.name.contains(",") ? "\"\(unit.name)\"" : unit.name
            text += "\(unit.id),\(name),\(unit.level),\(unit.sector),\(unit.size),\(unit.municipality),\(unit.municipality % 3 == 0 ? "lav" : "høj"),"
                + "Søren Ørsted \(unit.id),kontakt.\(unit.id.lowercased())@kommune.dk\n"
        }
        return text
    }

    static let questionnaire = """
        {"questions": [
          {"id": "q1", "type": "yes_no", "text": "Har arbejdspladsen indført en innovation i de seneste to år?", "concept": "innovated"},
          {"id": "q2", "type": "single_choice", "text": "Hvilken slags var den seneste innovation?",
           "options": [{"code": "service", "label": "Ny ydelse"}, {"code": "proces", "label": "Ny proces"}, {"code": "org", "label": "Ny organisering"}]},
          {"id": "q3", "type": "likert", "text": "Hvor godt lykkedes den?", "scale": 5},
          {"id": "q4", "type": "numeric", "text": "Hvor mange medarbejdere var involveret?", "min": 0, "max": 500},
          {"id": "q5", "type": "multiple_choice", "text": "Hvem samarbejdede I med?",
           "options": [{"code": "borgere", "label": "Borgere"}, {"code": "firmaer", "label": "Virksomheder"}, {"code": "offentlige", "label": "Andre offentlige"}]},
          {"id": "q6", "type": "text", "text": "Beskriv innovationen kort."}
        ],
        "routing": [{"question": "q2", "when": {"q1": "yes"}}, {"question": "q3", "when": {"q1": "yes"}}]}
        """

    /// One generated response: the CSV cells by column.
    struct Response {
        var unitID: String
        var cells: [String: String]
    }

    /// Responses for about 60 % of the units, with item non-response.
    mutating func responses(for unitIDs: [String]) -> [Response] {
        var result: [Response] = []
        for id in unitIDs where below(10) < 6 {
            let level = units.first { $0.id == id }?.level ?? "kommune"
            var cells: [String: String] = [:]
            let yes = below(100) < (level == "stat" ? 65 : 82)
            if below(20) > 0 { cells["q1"] = yes ? "yes" : "no" }
            if cells["q1"] == "yes" {
                if below(10) > 0 { cells["q2"] = ["service", "proces", "org"][below(3)] }
                cells["q3"] = String(1 + below(5))
            }
            if below(10) > 0 { cells["q4"] = String(below(120)) }
            let chosen = ["borgere", "firmaer", "offentlige"].filter { _ in below(2) == 0 }
            if below(10) > 0 { cells["q5"] = chosen.joined(separator: ";") }
            if below(3) == 0 { cells["q6"] = "Vi prøvede noget nyt, også i Ærø" }
            result.append(Response(unitID: id, cells: cells))
        }
        return result
    }

    static let columns = ["q1", "q2", "q3", "q4", "q5", "q6"]

    static func responsesCSV(_ responses: [Response]) -> String {
        var text = "unit_id," + columns.joined(separator: ",") + "\n"
        for response in responses {
            text += response.unitID + "," + columns.map { column in
                let cell = response.cells[column] ?? ""
                return cell.contains(",") ? "\"\(cell)\"" : cell
            }.joined(separator: ",") + "\n"
        }
        return text
    }
}
