import COIPluginKit
import COIProto
import Foundation
import GRDB

extension BarometerService {
    func registerExports(_ router: inout Router) {
        router.serverStreaming(Coi_Barometer_V1_Waves.Method.export, .read("barometer.export")) {
            (request: Coi_Barometer_V1_ExportRequest, _, writer: ResponseWriter<Coi_Barometer_V1_Chunk>) in
            var out = ChunkWriter(writer: writer)
            switch request.table {
            case .sample, .reminders: try await self.exportSample(request.waveID, remindersOnly: request.table == .reminders, &out)
            case .microdata: try await self.exportMicrodata(request.waveID, includeText: request.includeText, &out)
            case .codebook: try await self.exportCodebook(request.waveID, &out)
            case .codebookJson: try await out.text(try await self.codebookJSON(request.waveID))
            case .estimates: try await self.exportEstimates(request.waveID, &out)
            default: throw RPCError.invalidField("table", "must be SAMPLE, REMINDERS, MICRODATA, CODEBOOK, CODEBOOK_JSON or ESTIMATES")
            }
            try await out.flush()
        }
    }

    /// The sampled units for a mail merge: token, contact and frame variables; reminders are those
    /// neither completed nor refused.
    private func exportSample(_ waveID: String, remindersOnly: Bool, _ out: inout ChunkWriter) async throws {
        let (wave, rows) = try await read { db -> (WaveRecord, [[String]]) in
            let wave = try WaveRecord.require(db, id: waveID)
            try wave.requireDrawn()
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.unit_id, s.token, s.status, f.name, f.contact_name, f.contact_email, f.vals FROM barometer_sample s
                JOIN barometer_frame f ON f.wave_id = s.wave_id AND f.unit_id = s.unit_id
                WHERE s.wave_id = ? AND (? = 0 OR s.status IN (?, ?)) ORDER BY s.unit_id
                """, arguments: [waveID, remindersOnly, Coi_Barometer_V1_UnitStatus.invited.rawValue,
                                 Coi_Barometer_V1_UnitStatus.started.rawValue]).map { row -> [String] in
                let values = try JSONDecoder().decode([String].self, from: Data((row["vals"] as String).utf8))
                let status = Coi_Barometer_V1_UnitStatus(rawValue: row["status"]).map(Self.statusName) ?? ""
                return [row["unit_id"], row["name"], row["contact_name"], row["contact_email"], row["token"], status] + values
            }
            return (wave, rows)
        }
        try await out.record(["unit_id", "name", "contact_name", "contact_email", "token", "status"] + wave.frameVariables)
        for row in rows { try await out.record(row) }
    }

    /// Completed responses without names, unit ids or tokens: per respondent its stratum, the
    /// strata variables, N_h, m_h and the weight N_h/m_h, then one column per question (matrix rows
    /// as "q.row"). Rows are ordered by stratum and then by a hash of the token, so their order says
    /// nothing about the unit ids. Text answers are left out unless asked for: a workplace's own
    /// words can name it.
    private func exportMicrodata(_ waveID: String, includeText: Bool, _ out: inout ChunkWriter) async throws {
        let data = try await self.data(waveID)
        let strataVariables = data.wave.design?.strata ?? []
        let tokens = try await read { db in
            try Dictionary(Row.fetchAll(db, sql: "SELECT unit_id, token FROM barometer_sample WHERE wave_id = ?", arguments: [waveID]).map {
                ($0["unit_id"] as String, $0["token"] as String)
            }, uniquingKeysWith: { first, _ in first })
        }
        var perStratum: [StratumKey: Int] = [:]
        for respondent in data.respondents { perStratum[respondent.stratum, default: 0] += 1 }
        let columns = AnswerCoding.columns(data.questionnaire).filter { includeText || $0.question.kind != .text }
        try await out.record(["respondent", "stratum"] + strataVariables + ["population", "respondents_in_stratum", "weight"] + columns.map(\.column))
        let hashes = Dictionary(data.respondents.map { ($0.unitID, ContentHash.sha256Hex(tokens[$0.unitID] ?? "")) },
                                uniquingKeysWith: { first, _ in first })
        let ordered = data.respondents.sorted {
            $0.stratum != $1.stratum ? $0.stratum < $1.stratum : (hashes[$0.unitID] ?? "") < (hashes[$1.unitID] ?? "")
        }
        for (index, respondent) in ordered.enumerated() {
            let population = data.populationSizes[respondent.stratum] ?? 0
            let count = perStratum[respondent.stratum] ?? 1
            var fields = [String(index + 1), respondent.stratum.values.joined(separator: "/")]
            fields += strataVariables.map { respondent.variables[$0] ?? "" }
            fields += [String(population), String(count), String(Double(population) / Double(count))]
            for column in columns {
                let answer = respondent.answers[column.question.id]
                if let row = column.row {
                    if case .rows(let rows)? = answer { fields.append(AnswerCoding.cell(rows[row])) } else { fields.append("") }
                } else {
                    fields.append(AnswerCoding.cell(answer))
                }
            }
            try await out.record(fields)
        }
    }

    /// The codebook as CSV: one row per column and value, with the question text, type, label and routing.
    private func exportCodebook(_ waveID: String, _ out: inout ChunkWriter) async throws {
        let questionnaire = try await read { db in
            let wave = try WaveRecord.require(db, id: waveID)
            return try Self.questionnaire(db, wave).questionnaire
        }
        try await out.record(["column", "question", "row", "type", "text", "row_label", "value", "value_label", "routing", "concept"])
        for entry in Codebook.entries(questionnaire) {
            try await out.record([entry.column, entry.question, entry.row, entry.type, entry.text, entry.rowLabel, entry.value,
                                  entry.valueLabel, entry.routing, entry.concept])
        }
    }

    /// The codebook as one JSON document: the microdata's columns with their questions, types,
    /// value labels and routing.
    private func codebookJSON(_ waveID: String) async throws -> String {
        let (wave, questionnaire) = try await read { db in
            let wave = try WaveRecord.require(db, id: waveID)
            return (wave, try Self.questionnaire(db, wave).questionnaire)
        }
        return Codebook.json(wave: wave, questionnaire)
    }

    /// Every estimate, overall and by level, sector, size class and region, as one CSV table.
    private func exportEstimates(_ waveID: String, _ out: inout ChunkWriter) async throws {
        let data = try await self.data(waveID)
        let estimator = try Self.estimator(data, rake: [])
        let estimates = try estimator.estimates(breakdowns: [["level"], ["sector"], ["size_class"], ["region"]])
        try await out.record(["question", "by", "domain", "category", "statistic", "estimate", "se", "ci_low", "ci_high", "df",
                              "respondents", "suppressed"])
        for estimate in estimates.map(Self.message) {
            let numbers = estimate.hasNumbers ? estimate.numbers : nil
            let ci = numbers?.hasCi == true ? numbers?.ci : nil
            try await out.record([estimate.question, estimate.by, estimate.domain, estimate.category, estimate.statistic,
                                  numbers.map { String($0.estimate) } ?? "", numbers.map { String($0.se) } ?? "",
                                  ci.map { String($0.low) } ?? "", ci.map { String($0.high) } ?? "",
                                  numbers == nil ? "" : String(estimate.df), String(estimate.respondents), estimate.suppressed ? "true" : "false"])
        }
    }

    static func statusName(_ status: Coi_Barometer_V1_UnitStatus) -> String {
        switch status {
        case .invited: "invited"
        case .started: "started"
        case .completed: "completed"
        case .refused: "refused"
        default: ""
        }
    }
}
