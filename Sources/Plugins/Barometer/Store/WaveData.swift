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
        // The sample first, so the frame is read (and each unit's values decoded) once: for the
        // totals, and for the sampled units' variables.
        let sample = try Row.fetchAll(db, sql: "SELECT unit_id, stratum, status, answers FROM barometer_sample WHERE wave_id = ? ORDER BY unit_id",
                                      arguments: [waveID])
        var unitVariables: [String: [String: String]] = [:]
        for row in sample { unitVariables[row["unit_id"]] = [:] }
        var totals: [String: [String: Double]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT unit_id, vals FROM barometer_frame WHERE wave_id = ?", arguments: [waveID]) {
            let values = try decoder.decode([String].self, from: Data((row["vals"] as String).utf8))
            for (variable, value) in zip(wave.frameVariables, values) { totals[variable, default: [:]][value, default: 0] += 1 }
            let unitID: String = row["unit_id"]
            if unitVariables[unitID] != nil {
                unitVariables[unitID] = Dictionary(zip(wave.frameVariables, values), uniquingKeysWith: { first, _ in first })
            }
        }
        var populationSizes: [StratumKey: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, population FROM barometer_strata WHERE wave_id = ?", arguments: [waveID]) {
            populationSizes[StratumKey(try decoder.decode([String].self, from: Data((row["key"] as String).utf8)))] = row["population"]
        }
        var respondents: [Respondent] = []
        for row in sample where row["status"] as Int == Coi_Barometer_V1_UnitStatus.completed.rawValue {
            let unitID: String = row["unit_id"]
            let answers = (try? AnswerValidator.parse(json: row["answers"], for: questionnaire)) ?? [:]
            respondents.append(Respondent(unitID: unitID, stratum: StratumKey(try decoder.decode([String].self, from: Data((row["stratum"] as String).utf8))),
                                          variables: unitVariables[unitID] ?? [:], answers: answers))
        }
        return WaveData(wave: wave, questionnaire: questionnaire, respondents: respondents, populationSizes: populationSizes,
                        totals: totals, unitVariables: unitVariables)
    }
}
