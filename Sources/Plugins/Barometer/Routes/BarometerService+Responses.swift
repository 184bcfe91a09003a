import COIPluginKit
import COIProto
import Foundation
import GRDB

extension BarometerService {
    func registerResponses(_ router: inout Router) {
        router.unary(Coi_Barometer_V1_Waves.Method.importResponses, .write("barometer.manage")) { (request: Coi_Barometer_V1_ImportRequest, context) in
            context.audit.target = "wave:\(request.waveID)"
            guard let text = String(data: request.data, encoding: .utf8) else { throw RPCError.invalidField("data", "the file is not UTF-8 text") }
            let records: [CSVReader.Record]
            do throws(CSVReader.Failure) {
                records = try CSVReader.parse(text)
            } catch {
                throw RPCError.invalidField("data", "line \(error.line): \(error.message)")
            }
            let reply = try await self.write { db in
                let wave = try WaveRecord.require(db, id: request.waveID)
                try wave.requireDrawn()
                let questionnaire = try Self.questionnaire(db, wave).questionnaire
                let parsed = try ResponsesImport(records, questionnaire: questionnaire)
                let now = Timestamp.now()
                for response in parsed.responses {
                    guard let status = try Int.fetchOne(db, sql: "SELECT status FROM barometer_sample WHERE wave_id = ? AND unit_id = ?",
                                                        arguments: [wave.id, response.unitID]) else {
                        throw RPCError.invalidField("data", "line \(response.line), column unit_id: \(response.unitID) is not in the sample of wave \(wave.id)")
                    }
                    // A response its workplace completed through the socket is theirs; paper does not overwrite it.
                    if status == Coi_Barometer_V1_UnitStatus.completed.rawValue,
                       try String.fetchOne(db, sql: "SELECT source FROM barometer_sample WHERE wave_id = ? AND unit_id = ?",
                                           arguments: [wave.id, response.unitID]) == "token" {
                        throw RPCError.invalidField("data", "line \(response.line), column unit_id: \(response.unitID) already completed "
                                                    + "its response with its invitation")
                    }
                    try db.run(sql: """
                        UPDATE barometer_sample SET status = ?, answers = ?, source = 'import', updated_at = ?, completed_at = ?
                        WHERE wave_id = ? AND unit_id = ?
                        """, arguments: [Coi_Barometer_V1_UnitStatus.completed.rawValue, AnswerCoding.json(response.answers), now, now,
                                         wave.id, response.unitID])
                }
                return Coi_Barometer_V1_ImportReply.with {
                    $0.wave = (try? WaveRecord.require(db, id: wave.id).message) ?? .init()
                    $0.rows = Int32(parsed.responses.count)
                }
            }
            self.invalidate(request.waveID)
            return reply
        }
    }
}

/// A wide responses CSV (`unit_id,q1,q2,…`, a matrix row as `q7.r1`; empty = not answered) read and
/// checked against the questionnaire: types, options, ranges and routing. Any problem refuses the file.
struct ResponsesImport {
    struct Response {
        var line: Int
        var unitID: String
        var answers: [String: Answer]
    }

    var responses: [Response] = []

    init(_ records: [CSVReader.Record], questionnaire: Questionnaire) throws {
        guard let header = records.first else { throw RPCError.invalidField("data", "the file is empty: it needs a header line") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        guard names.first == "unit_id" else { throw RPCError.invalidField("data", "line 1: the first column must be unit_id") }
        var known: [String: (question: Question, row: String?)] = [:]
        for column in AnswerCoding.columns(questionnaire) { known[column.column] = (column.question, column.row) }
        var seenColumns: Set<String> = []
        for name in names.dropFirst() {
            guard known[name] != nil else {
                throw RPCError.invalidField("data", "line 1, column \(name): not a question of the wave's questionnaire")
            }
            if !seenColumns.insert(name).inserted { throw RPCError.invalidField("data", "line 1: column \(name) appears twice") }
        }
        var seenUnits: [String: Int] = [:]
        for record in records.dropFirst() {
            let line = record.line
            guard record.fields.count == names.count else {
                throw RPCError.invalidField("data", "line \(line): \(record.fields.count) fields, the header has \(names.count)")
            }
            let unitID = record.fields[0].trimmingCharacters(in: .whitespaces)
            if unitID.isEmpty { throw RPCError.invalidField("data", "line \(line), column unit_id: is empty") }
            if let first = seenUnits[unitID] { throw RPCError.invalidField("data", "line \(line), column unit_id: \(unitID) is also on line \(first)") }
            seenUnits[unitID] = line
            var answers: [String: Answer] = [:]
            var matrices: [String: [String: Answer]] = [:]
            for (name, raw) in zip(names.dropFirst(), record.fields.dropFirst()) {
                let text = raw.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty, let (question, row) = known[name] else { continue }
                let kind: Question.Kind
                if case .matrix(_, let scale) = question.kind { kind = AnswerCoding.rowKind(scale) } else { kind = question.kind }
                guard let answer = AnswerCoding.answer(cell: text, kind: kind) else {
                    throw RPCError.invalidField("data", "line \(line), column \(name): \"\(text)\" is not a number")
                }
                if let row { matrices[question.id, default: [:]][row] = answer } else { answers[question.id] = answer }
            }
            for (id, rows) in matrices { answers[id] = .rows(rows) }
            if let problem = AnswerValidator.problems(in: answers, for: questionnaire, complete: false).first {
                let column = problem.question.isEmpty ? "" : ", column \(problem.question)"
                throw RPCError.invalidField("data", "line \(line)\(column): \(problem.reason)")
            }
            responses.append(Response(line: line, unitID: unitID, answers: answers))
        }
    }
}
