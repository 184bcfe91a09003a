import COIPluginKit
import COIProto
import Foundation
import GRDB

/// What estimation needs of a wave, loaded once and kept until the wave's responses change: the
/// questionnaire, the completed respondents with their frame variables, N_h by stratum, and the
/// frame's totals for raking.
struct WaveData: Sendable {
    var wave: WaveRecord
    var questionnaire: Questionnaire
    var respondents: [Respondent]
    var populationSizes: [StratumKey: Int]
    /// Per frame variable, the number of frame units with each value.
    var totals: [String: [String: Double]]
    /// Frame variables by unit, for every sampled unit (benchmarking looks up the caller's own).
    var unitVariables: [String: [String: String]]

    /// Loads a wave's data.
    /// - Parameters:
    ///   - db: A read transaction.
    ///   - waveID: The wave.
    static func load(_ db: Database, waveID: String) throws -> WaveData {
        let wave = try WaveRecord.require(db, id: waveID)
        try wave.requireDrawn()
        let questionnaire = try BarometerService.questionnaire(db, wave).questionnaire
        let decoder = JSONDecoder()
        var totals: [String: [String: Double]] = [:]
        for rows in try Row.fetchAll(db, sql: "SELECT vals FROM barometer_frame WHERE wave_id = ?", arguments: [waveID]) {
            let values = try decoder.decode([String].self, from: Data((rows["vals"] as String).utf8))
            for (variable, value) in zip(wave.frameVariables, values) { totals[variable, default: [:]][value, default: 0] += 1 }
        }
        var populationSizes: [StratumKey: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, population FROM barometer_strata WHERE wave_id = ?", arguments: [waveID]) {
            populationSizes[StratumKey(try decoder.decode([String].self, from: Data((row["key"] as String).utf8)))] = row["population"]
        }
        var respondents: [Respondent] = []
        var unitVariables: [String: [String: String]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT s.unit_id, s.stratum, s.status, s.answers, f.vals FROM barometer_sample s
            JOIN barometer_frame f ON f.wave_id = s.wave_id AND f.unit_id = s.unit_id WHERE s.wave_id = ? ORDER BY s.unit_id
            """, arguments: [waveID]) {
            let values = try decoder.decode([String].self, from: Data((row["vals"] as String).utf8))
            let variables = Dictionary(zip(wave.frameVariables, values), uniquingKeysWith: { first, _ in first })
            let unitID: String = row["unit_id"]
            unitVariables[unitID] = variables
            guard row["status"] as Int == Coi_Barometer_V1_UnitStatus.completed.rawValue else { continue }
            let answers = (try? AnswerValidator.parse(json: row["answers"], for: questionnaire)) ?? [:]
            respondents.append(Respondent(unitID: unitID, stratum: StratumKey(try decoder.decode([String].self, from: Data((row["stratum"] as String).utf8))),
                                          variables: variables, answers: answers))
        }
        return WaveData(wave: wave, questionnaire: questionnaire, respondents: respondents, populationSizes: populationSizes,
                        totals: totals, unitVariables: unitVariables)
    }
}
