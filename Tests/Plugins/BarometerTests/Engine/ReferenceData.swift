@testable import COIBarometer

/// A seeded synthetic wave: a frame of workplaces, a stratified sample, completions and answers with
/// routing and item non-response, and the awkward cases estimation must get right (a take-all stratum
/// that responded completely, a stratum left with a single respondent).
struct ReferenceData {
    static let questionnaireJSON = """
    {"questions": [
      {"id": "innovated", "type": "yes_no", "text": "Har arbejdspladsen indført en innovation?", "dont_know": true,
       "concept": "innovation"},
      {"id": "kind", "type": "single_choice", "text": "Hvilken slags?", "options": [
        {"code": "service", "label": "Ny ydelse"}, {"code": "process", "label": "Ny proces"},
        {"code": "organisation", "label": "Ny organisering"}, {"code": "communication", "label": "Ny kommunikation"}]},
      {"id": "drivers", "type": "multiple_choice", "text": "Hvem tog initiativet?", "options": [
        {"code": "staff", "label": "Medarbejdere"}, {"code": "management", "label": "Ledelsen"},
        {"code": "politicians", "label": "Politikere"}, {"code": "citizens", "label": "Borgere"}]},
      {"id": "satisfaction", "type": "likert", "text": "Hvor tilfreds er I?", "scale": 5},
      {"id": "staff", "type": "numeric", "text": "Andel medarbejdere involveret (%)", "min": 0, "max": 100},
      {"id": "effects", "type": "matrix", "text": "Effekter", "scale": 4, "rows": [
        {"code": "quality", "label": "Kvalitet"}, {"code": "efficiency", "label": "Effektivitet"}]},
      {"id": "barriers", "type": "matrix", "text": "Barrierer", "rows": [
        {"code": "money", "label": "Penge"}, {"code": "time", "label": "Tid"}],
       "options": [{"code": "big", "label": "Stor"}, {"code": "small", "label": "Lille"}, {"code": "none", "label": "Ingen"}]},
      {"id": "comment", "type": "text", "text": "Kommentar"}],
     "routing": [{"question": "kind", "when": {"innovated": "yes"}}, {"question": "effects", "when": {"innovated": "yes"}}]}
    """

    static let regions = ["Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"]
    static let sectors = ["health", "education", "social", "administration"]

    var frame: Frame
    var sample: Sample
    var questionnaire: Questionnaire
    var respondents: [Respondent]

    /// Builds the wave.
    /// - Parameters:
    ///   - units: Frame size.
    ///   - sampleSize: n.
    ///   - seed: Seed of everything.
    init(units: Int = 1500, sampleSize: Int = 450, seed: UInt64 = 2024) throws {
        var random = Xoshiro256StarStar(seed: seed)
        func pick(_ weights: [Double]) -> Int {
            var u = random.nextUnit() * weights.reduce(0, +)
            for (index, weight) in weights.enumerated() {
                u -= weight
                if u < 0 { return index }
            }
            return weights.count - 1
        }
        let levels = ["state", "region", "municipality"], sizes = ["small", "medium", "large"]
        var rows: [Frame.Unit] = []
        for index in 0..<units {
            let id = "u" + String(100_000 + index * 7 % 99_991)
            rows.append(Frame.Unit(id: id, values: [levels[pick([10, 15, 75])], sizes[pick([55, 35, 10])],
                                                    Self.sectors[pick([30, 30, 25, 15])], Self.regions[pick([30, 15, 22, 23, 10])]]))
        }
        frame = try Frame(variables: ["level", "size", "sector", "region"], units: rows)
        let takeAll = StratumKey(["state", "large"])
        sample = try Sampler.draw(frame, SampleDesign(strata: ["level", "size"], allocation: .proportional, sampleSize: sampleSize,
                                                      minimumPerStratum: 5, takeAll: [takeAll], seed: seed))
        questionnaire = try Questionnaire.parse(json: Self.questionnaireJSON)

        let byID = Dictionary(uniqueKeysWithValues: frame.units.map { ($0.id, $0) })
        var municipalStrata: [StratumKey] = []
        respondents = []
        for stratum in sample.strata {
            var kept = 0
            for id in stratum.unitIDs {
                let responds = random.nextUnit() < 0.5
                // The take-all stratum responds completely (no finite-population variance); region/large keeps one.
                if stratum.key == takeAll ? false : !responds { continue }
                if stratum.key == StratumKey(["region", "large"]) && kept == 1 { continue }
                kept += 1
                guard let unit = byID[id] else { continue }
                var variables = Dictionary(uniqueKeysWithValues: zip(frame.variables, unit.values))
                // "pilot" makes two tiny domains in the first two municipal strata: "a", their first respondents
                // (2 respondents, 2 strata: df 0), and "b", the next two of the first and the next one of the
                // second (3 respondents, 2 strata: df 1).
                if stratum.key.values[0] == "municipality" && !municipalStrata.contains(stratum.key) { municipalStrata.append(stratum.key) }
                let rank = municipalStrata.firstIndex(of: stratum.key) ?? 2
                variables["pilot"] = rank > 1 ? "no" : kept == 1 ? "a" : kept <= 3 - rank ? "b" : "no"
                respondents.append(Respondent(unitID: id, stratum: stratum.key, variables: variables,
                                              answers: Self.answers(variables, &random)))
            }
        }
    }

    /// Answers loosely tied to the workplace, with item non-response and routing.
    static func answers(_ variables: [String: String], _ random: inout Xoshiro256StarStar) -> [String: Answer] {
        func chance(_ p: Double) -> Bool { random.nextUnit() < p }
        func pick(_ weights: [Double]) -> Int {
            var u = random.nextUnit() * weights.reduce(0, +)
            for (index, weight) in weights.enumerated() {
                u -= weight
                if u < 0 { return index }
            }
            return weights.count - 1
        }
        let sector = sectors.firstIndex(of: variables["sector"] ?? "") ?? 0
        let region = regions.firstIndex(of: variables["region"] ?? "") ?? 0
        let size = ["small", "medium", "large"].firstIndex(of: variables["size"] ?? "") ?? 0
        var answers: [String: Answer] = [:]
        if !chance(0.03) {
            answers["innovated"] = .choice(["yes", "no", "dont_know"][pick([55 + 8 * Double(sector), 35, 5])])
        }
        let innovated = answers["innovated"] == .choice("yes")
        if innovated && !chance(0.05) {
            answers["kind"] = .choice(["service", "process", "organisation", "communication"][pick([4, 3 + Double(size), 2, 1])])
        }
        if !chance(0.1) {
            let codes = ["staff", "management", "politicians", "citizens"]
            let odds = [0.6, 0.5, 0.1 + 0.05 * Double(region), 0.2]
            answers["drivers"] = .choices(zip(codes, odds).compactMap { chance($0.1) ? $0.0 : nil })
        }
        if !chance(0.04) { answers["satisfaction"] = .number(Double(1 + pick([1, 2, 4, 5 + Double(size), 2]))) }
        if !chance(0.15) { answers["staff"] = .number((random.nextUnit() * (40 + 20 * Double(size))).rounded() / 1) }
        if innovated {
            var rows: [String: Answer] = [:]
            for row in ["quality", "efficiency"] where !chance(0.08) { rows[row] = .number(Double(1 + pick([1, 2, 3 + Double(sector), 2]))) }
            answers["effects"] = .rows(rows)
        }
        var barriers: [String: Answer] = [:]
        for row in ["money", "time"] where !chance(0.05) { barriers[row] = .choice(["big", "small", "none"][pick([3, 4, 2])]) }
        answers["barriers"] = .rows(barriers)
        if chance(0.2) { answers["comment"] = .text("Godt initiativ, æøå") }
        return answers
    }

    /// The frame's count of each value of a variable, as a raking margin.
    func margin(_ variable: String) throws -> RakingMargin {
        RakingMargin(variable: variable, totals: try frame.totals(of: variable))
    }
}
