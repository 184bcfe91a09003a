import COIPluginKit
import COIProto
import Foundation
import GRDB

/// The respondent's side: every call carries the invitation token, which is the credential. The
/// token is bound to one sampled workplace of one wave; the handler looks it up before anything is
/// read or changed, and writes name that unit as the audit target ("unit:wav_…/UNIT").
extension BarometerService {
    func registerRespondents(_ router: inout Router) {
        router.unary(Coi_Barometer_V1_Respondents.Method.open, .open) { (request: Coi_Barometer_V1_RespondentRequest, _) in
            try await self.read { db in
                let invitation = try Invitation.require(db, token: request.token)
                return try invitation.view(db)
            }
        }
        router.unary(Coi_Barometer_V1_Respondents.Method.save, .credentialInRequest) { (request: Coi_Barometer_V1_SaveAnswersRequest, context) in
            let invitation = try await self.read { db in try Invitation.require(db, token: request.token) }
            context.audit.target = invitation.auditTarget
            let view = try await self.write { db in
                // Re-read inside the write: a concurrent save or completion must be seen.
                let current = try Invitation.require(db, token: request.token)
                try current.requireOpen(for: "saving answers")
                let questionnaire = try Self.questionnaire(db, current.wave).questionnaire
                var answers = (try? AnswerValidator.parse(json: current.answers, for: questionnaire)) ?? [:]
                let sent: [String: Answer]
                do throws(AnswerError) {
                    sent = try AnswerValidator.parse(json: request.answers.isEmpty ? "{}" : request.answers, for: questionnaire)
                } catch {
                    throw RPCError.invalidField("answers", error.description)
                }
                // A null clears an answer; parse leaves nulls out, so find them in the document itself.
                let cleared = Self.nullKeys(request.answers)
                for id in cleared { answers[id] = nil }
                answers.merge(sent) { _, new in new }
                let problems = AnswerValidator.problems(in: answers, for: questionnaire, complete: request.complete)
                if !problems.isEmpty {
                    throw RPCError(.invalidArgument, problems.map(\.description).joined(separator: "; "), reason: "INVALID_ANSWERS",
                                   fieldViolations: problems.map { .init(field: "answers." + $0.question, description: $0.reason) })
                }
                let status: Coi_Barometer_V1_UnitStatus = request.complete ? .completed : .started
                let now = Timestamp.now()
                try db.run(sql: """
                    UPDATE barometer_sample SET answers = ?, status = ?, source = 'token', updated_at = ?, completed_at = ?
                    WHERE wave_id = ? AND unit_id = ?
                    """, arguments: [AnswerCoding.json(answers), status.rawValue, now, request.complete ? now : "", current.wave.id, current.unitID])
                return try Invitation.require(db, token: request.token).view(db)
            }
            if request.complete { self.invalidate(invitation.wave.id) }
            return view
        }
        router.unary(Coi_Barometer_V1_Respondents.Method.refuse, .credentialInRequest) { (request: Coi_Barometer_V1_RespondentRequest, context) in
            let invitation = try await self.read { db in try Invitation.require(db, token: request.token) }
            context.audit.target = invitation.auditTarget
            return try await self.write { db in
                let current = try Invitation.require(db, token: request.token)
                try current.requireOpen(for: "refusing")
                // Refusal withdraws whatever was saved: nothing of a refused workplace is kept as an answer.
                try db.run(sql: "UPDATE barometer_sample SET status = ?, answers = '{}', updated_at = ? WHERE wave_id = ? AND unit_id = ?",
                           arguments: [Coi_Barometer_V1_UnitStatus.refused.rawValue, Timestamp.now(), current.wave.id, current.unitID])
                return try Invitation.require(db, token: request.token).view(db)
            }
        }
        router.unary(Coi_Barometer_V1_Respondents.Method.benchmark, .open, cost: .heavy) { (request: Coi_Barometer_V1_BenchmarkRequest, _) in
            let invitation = try await self.read { db in try Invitation.require(db, token: request.token) }
            let data = try await self.data(invitation.wave.id)
            let estimator = try Self.estimator(data, rake: request.rake)
            let own = (try? AnswerValidator.parse(json: invitation.answers, for: data.questionnaire)) ?? [:]
            let variables = data.unitVariables[invitation.unitID] ?? [:]
            return try Self.benchmark(estimator, data.questionnaire, own: own, variables: variables)
        }
    }

    /// Per question, the workplace's own answer beside the estimate for the narrowest peer group
    /// that passes disclosure control: level × sector × size class, then level × sector, then level,
    /// then everybody.
    static func benchmark(_ estimator: Estimator, _ questionnaire: Questionnaire, own: [String: Answer],
                          variables: [String: String]) throws -> Coi_Barometer_V1_BenchmarkReply {
        let groups = [["level", "sector", "size_class"], ["level", "sector"], ["level"], []].map { names in
            Domain(variables: names, values: names.map { variables[$0] ?? "" })
        }
        var reply = Coi_Barometer_V1_BenchmarkReply()
        for question in questionnaire.questions where question.kind != .text {
            for group in groups {
                let estimates = try estimator.estimates(question: question.id, domain: group)
                if estimates.contains(where: \.suppressed) && !group.variables.isEmpty { continue }
                for estimate in estimates {
                    let answer: Answer? = estimate.row.flatMap { row in
                        if case .rows(let rows)? = own[question.id] { rows[row] } else { nil }
                    } ?? (estimate.row == nil ? own[question.id] : nil)
                    reply.rows.append(.with {
                        $0.question = estimate.row.map { question.id + "." + $0 } ?? question.id
                        $0.answer = AnswerCoding.cell(answer)
                        $0.peerGroup = group.description
                        $0.estimate = message(estimate)
                    })
                }
                break
            }
        }
        return reply
    }

    /// The keys whose value is JSON null in an answers document.
    static func nullKeys(_ json: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [] }
        return object.filter { $0.value is NSNull }.map(\.key)
    }
}
