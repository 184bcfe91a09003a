import COIPluginKit
import COIProto
import Foundation
import GRDB

extension BarometerService {
    func registerWaves(_ router: inout Router) {
        router.unary(Coi_Barometer_V1_Waves.Method.create, .write("barometer.manage")) { (request: Coi_Barometer_V1_CreateWaveRequest, context) in
            let name = request.name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= 200 else { throw RPCError.invalidField("name", "is required, at most 200 characters") }
            guard request.referencePeriod.count <= 50 else { throw RPCError.invalidField("reference_period", "at most 50 characters") }
            guard (0...1000).contains(request.minRespondents) else {
                throw RPCError.invalidField("min_respondents", "must be 0 (the default, 5) to 1000, is \(request.minRespondents)")
            }
            let id = Identifier.make("wav")
            context.audit.target = "wave:\(id)"
            return try await self.write { db in
                let now = Timestamp.now()
                try db.run(sql: """
                    INSERT INTO barometer_waves (id, name, reference_period, min_respondents, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [id, name, request.referencePeriod, request.minRespondents == 0 ? 5 : Int(request.minRespondents), now, now])
                return try WaveRecord.require(db, id: id).message
            }
        }
        router.unary(Coi_Barometer_V1_Waves.Method.get, .read("barometer.read")) { (request: Coi_Barometer_V1_GetWaveRequest, _) in
            try await self.read { db in try WaveRecord.require(db, id: request.id, field: "id").message }
        }
        router.unary(Coi_Barometer_V1_Waves.Method.list, .read("barometer.read")) { (_: Coi_Barometer_V1_ListWavesRequest, _) in
            try await self.read { db in
                let ids = try String.fetchAll(db, sql: "SELECT id FROM barometer_waves ORDER BY seq")
                return try Coi_Barometer_V1_ListWavesReply.with { reply in
                    reply.waves = try ids.map { try WaveRecord.require(db, id: $0).message }
                }
            }
        }
        router.unary(Coi_Barometer_V1_Waves.Method.importFrame, .write("barometer.manage")) { (request: Coi_Barometer_V1_ImportRequest, context) in
            context.audit.target = "wave:\(request.waveID)"
            let frame = try FrameImport(request.data)
            let reply = try await self.write { db in
                let wave = try WaveRecord.require(db, id: request.waveID)
                try wave.requireNotDrawn("its frame")
                try db.run(sql: "DELETE FROM barometer_frame WHERE wave_id = ?", arguments: [wave.id])
                for row in frame.rows {
                    let values = String(decoding: try JSONEncoder().encode(row.values), as: UTF8.self)
                    try db.run(sql: """
                        INSERT INTO barometer_frame (wave_id, unit_id, line, name, contact_name, contact_email, vals) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [wave.id, row.unitID, row.line, row.name, row.contactName, row.contactEmail, values])
                }
                let variables = String(decoding: try JSONEncoder().encode(frame.variables), as: UTF8.self)
                try db.run(sql: "UPDATE barometer_waves SET frame_variables = ?, frame_units = ?, updated_at = ? WHERE id = ?",
                           arguments: [variables, frame.rows.count, Timestamp.now(), wave.id])
                return Coi_Barometer_V1_ImportReply.with {
                    $0.wave = (try? WaveRecord.require(db, id: wave.id).message) ?? .init()
                    $0.rows = Int32(frame.rows.count)
                }
            }
            self.invalidate(request.waveID)
            return reply
        }
        router.unary(Coi_Barometer_V1_Waves.Method.importQuestionnaire, .write("barometer.manage")) {
            (request: Coi_Barometer_V1_ImportQuestionnaireRequest, context) in
            context.audit.target = "wave:\(request.waveID)"
            do throws(QuestionnaireError) {
                _ = try Questionnaire.parse(json: request.document)
            } catch {
                throw RPCError.invalidField("document", error.description)
            }
            let wave = try await self.write { db in
                let wave = try WaveRecord.require(db, id: request.waveID)
                // Answers are validated against the version the invitations went out with.
                try wave.requireNotDrawn("its questionnaire")
                let version = wave.questionnaireVersion + 1
                try db.run(sql: "INSERT INTO barometer_questionnaires (wave_id, version, document, imported_at) VALUES (?, ?, ?, ?)",
                           arguments: [wave.id, version, request.document, Timestamp.now()])
                try db.run(sql: "UPDATE barometer_waves SET questionnaire_version = ?, updated_at = ? WHERE id = ?",
                           arguments: [version, Timestamp.now(), wave.id])
                return try WaveRecord.require(db, id: wave.id).message
            }
            self.invalidate(request.waveID)
            return wave
        }
    }

    /// The questionnaire a wave uses now.
    /// - Parameters:
    ///   - db: A transaction.
    ///   - wave: The wave.
    /// - Returns: The parsed questionnaire.
    /// - Throws: FAILED_PRECONDITION when none was imported.
    static func questionnaire(_ db: Database, _ wave: WaveRecord) throws -> (questionnaire: Questionnaire, document: String) {
        guard let document = try String.fetchOne(db, sql: "SELECT document FROM barometer_questionnaires WHERE wave_id = ? AND version = ?",
                                                 arguments: [wave.id, wave.questionnaireVersion]) else {
            throw RPCError(.failedPrecondition, "wave \(wave.id) has no questionnaire; run `coictl barometer questionnaire import \(wave.id) FILE.json`",
                           reason: "NO_QUESTIONNAIRE")
        }
        return (try Questionnaire.parse(json: document), document)
    }
}
