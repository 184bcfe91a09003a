import COIBarometer
import Foundation
import Testing

/// A generated wave set up through coictl with issue 16's acceptance commands (frame, questionnaire,
/// design, draw, sample export, responses import), with what the tests need to recompute its
/// estimates: the sample export's rows and the respondents and N_h as the engine and R take them.
struct BarometerWave {
    var id: String
    var survey: BarometerSurvey
    /// The sample export's rows by column.
    var rows: [[String: String]]
    var responses: [BarometerSurvey.Response]
    /// The completed respondents, answers keyed by the (renamed) question ids.
    var respondents: [Respondent]
    var populations: [StratumKey: Int]
    var questionnaire: String

    /// Creates and fills a wave.
    /// - Parameters:
    ///   - cli: coictl against the daemon.
    ///   - directory: Where the files go.
    ///   - name: The wave's name.
    ///   - period: Its reference period.
    ///   - seed: The survey generator's seed (frame and answers).
    ///   - rename: Question ids to rename in the questionnaire and the responses (the trend test gives
    ///     a later wave's question another id with the same concept key).
    static func create(_ cli: IdentityCLI, in directory: URL, name: String, period: String = "", seed: UInt64,
                       rename: [String: String] = [:]) async throws -> BarometerWave {
        var survey = BarometerSurvey(units: 900, seed: seed)
        var questionnaire = BarometerSurvey.questionnaire
        for (old, new) in rename { questionnaire = questionnaire.replacingOccurrences(of: "\"\(old)\"", with: "\"\(new)\"") }
        let frame = directory.appendingPathComponent("frame-\(seed).csv").path
        let questionnaireFile = directory.appendingPathComponent("spørgeskema-\(seed).json").path
        try survey.frameCSV.write(toFile: frame, atomically: true, encoding: .utf8)
        try questionnaire.write(toFile: questionnaireFile, atomically: true, encoding: .utf8)
        var create = ["barometer", "waves", "create", "--name", name]
        if !period.isEmpty { create += ["--reference-period", period] }
        let id = try #require(try await cli.object(create)["id"] as? String)
        try await cli.ok(["barometer", "frame", "import", id, frame])
        try await cli.ok(["barometer", "questionnaire", "import", id, questionnaireFile])
        try await cli.ok(["barometer", "design", "set", id, "--strata", "level,sector,size_class", "--allocation", "proportional",
                          "--sample-size", "300", "--min-per-stratum", "4", "--seed", "20260101"])
        try await cli.ok(["barometer", "sample", "draw", id])
        let exported = SimpleCSV.parse(try await cli.ok(["barometer", "sample", "export", id]))
        let header = try #require(exported.first)
        let rows = exported.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        let responses = survey.responses(for: rows.compactMap { $0["unit_id"] })
        var csv = BarometerSurvey.responsesCSV(responses)
        if let newline = csv.firstIndex(of: "\n") {
            let columns = csv[..<newline].split(separator: ",").map { rename[String($0)] ?? String($0) }
            csv = columns.joined(separator: ",") + csv[newline...]
        }
        let responsesFile = directory.appendingPathComponent("svar-\(seed).csv").path
        try csv.write(toFile: responsesFile, atomically: true, encoding: .utf8)
        try await cli.ok(["barometer", "responses", "import", id, responsesFile])

        let byUnit = Dictionary(uniqueKeysWithValues: rows.map { ($0["unit_id"] ?? "", $0) })
        let respondents = try responses.map { response -> Respondent in
            let row = try #require(byUnit[response.unitID])
            let variables = ["level", "sector", "size_class", "region", "municipality_code"].reduce(into: [String: String]()) { $0[$1] = row[$1] ?? "" }
            var answers: [String: Answer] = [:]
            for (column, cell) in response.cells where !cell.isEmpty {
                answers[rename[column] ?? column] = switch column {
                case "q1", "q2": .choice(cell)
                case "q3", "q4": .number(Double(cell) ?? .nan)
                case "q5": .choices(cell.split(separator: ";").map(String.init))
                default: .text(cell)
                }
            }
            return Respondent(unitID: response.unitID, stratum: StratumKey([row["level"] ?? "", row["sector"] ?? "", row["size_class"] ?? ""]),
                              variables: variables, answers: answers)
        }
        var populations: [StratumKey: Int] = [:]
        for unit in survey.units { populations[StratumKey([unit.level, unit.sector, unit.size]), default: 0] += 1 }
        return BarometerWave(id: id, survey: survey, rows: rows, responses: responses, respondents: respondents, populations: populations,
                             questionnaire: questionnaire)
    }

    /// The engine's estimates of one question on this wave's respondents, only the breakdown's
    /// domains when `by` is given (as `coictl barometer estimate --by` prints them).
    func engineEstimates(_ question: String, by: String?) throws -> [Estimate] {
        let estimator = try Estimator(questionnaire: try Questionnaire.parse(json: questionnaire),
                                      design: try WeightedDesign(respondents: respondents, populationSizes: populations))
        return try estimator.estimates(breakdowns: by.map { [[$0]] } ?? [], questions: [question])
            .filter { by == nil || !$0.domain.variables.isEmpty }
    }
}
