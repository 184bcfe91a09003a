import COIPluginKit
import COIProto
import GRDB

/// A sampled unit as its invitation token finds it.
struct Invitation: Sendable {
    var wave: WaveRecord
    var unitID: String
    var name: String
    var status: Coi_Barometer_V1_UnitStatus
    var answers: String

    /// "unit:wav_…/UNIT", what the audit log names for a respondent's write.
    var auditTarget: String { "unit:\(wave.id)/\(unitID)" }

    /// The unit a token was issued to.
    /// - Parameters:
    ///   - db: A transaction.
    ///   - token: The invitation token.
    /// - Returns: The invitation.
    /// - Throws: UNAUTHENTICATED when the token is missing or matches no invitation.
    static func require(_ db: Database, token: String) throws -> Invitation {
        guard !token.isEmpty else {
            throw RPCError(.unauthenticated, "token is required: the invitation token from the letter", reason: "TOKEN_REQUIRED",
                           fieldViolations: [.init(field: "token", description: "is required")])
        }
        guard let row = try Row.cachedOne(db, sql: """
            SELECT s.wave_id, s.unit_id, s.status, s.answers, f.name FROM barometer_sample s
            JOIN barometer_frame f ON f.wave_id = s.wave_id AND f.unit_id = s.unit_id WHERE s.token = ?
            """, arguments: [token]) else {
            throw RPCError(.unauthenticated, "the invitation token is not valid", reason: "TOKEN_INVALID",
                           fieldViolations: [.init(field: "token", description: "matches no invitation")])
        }
        return Invitation(wave: try WaveRecord.require(db, id: row["wave_id"]), unitID: row["unit_id"], name: row["name"],
                          status: Coi_Barometer_V1_UnitStatus(rawValue: row["status"]) ?? .invited, answers: row["answers"])
    }

    /// Fails once the response is completed (then locked) or refused.
    func requireOpen(for what: String) throws {
        switch status {
        case .completed:
            throw RPCError(.failedPrecondition, "the response of \(name) is completed and locked; \(what) is no longer possible",
                           reason: "RESPONSE_LOCKED")
        case .refused:
            throw RPCError(.failedPrecondition, "\(name) declined to take part; \(what) is no longer possible", reason: "RESPONSE_REFUSED")
        default: return
        }
    }

    /// What the respondent sees: the questionnaire, the answers so far and what routing asks.
    func view(_ db: Database) throws -> Coi_Barometer_V1_RespondentView {
        let (questionnaire, document) = try BarometerService.questionnaire(db, wave)
        let answers = (try? AnswerValidator.parse(json: self.answers, for: questionnaire)) ?? [:]
        return .with {
            $0.waveID = wave.id
            $0.waveName = wave.name
            $0.workplace = name
            $0.status = status
            $0.questionnaire = document
            $0.answers = self.answers
            $0.asked = questionnaire.questions.map(\.id).filter { questionnaire.isAsked($0, given: answers) }
        }
    }
}
