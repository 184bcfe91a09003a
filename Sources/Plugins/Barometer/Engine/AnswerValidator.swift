/// Checks answers against the questionnaire: each by its question's type and range, and against routing.
///
/// An answer to a question that routing skips (its conditions not met by the other answers) is
/// refused rather than ignored: it means the client showed a question it should not have, or an
/// earlier answer changed, and silently keeping it would put it into the estimates. A `null` in the
/// JSON clears an answer, which is how a client withdraws one after changing the answer it hung on.
public enum AnswerValidator {
    /// Reads answers as JSON: an object of question id → answer (`Answer` describes each form).
    /// - Parameters:
    ///   - json: The answers document.
    ///   - questionnaire: The questionnaire.
    /// - Returns: The answers (nulls left out); types checked, not ranges or routing.
    /// - Throws: `AnswerError` for the first answer of the wrong form or an unknown question.
    public static func parse(json: String, for questionnaire: Questionnaire) throws(AnswerError) -> [String: Answer] {
        guard case .object(let fields)? = JSONValue.parse(json) else {
            throw AnswerError(question: "", reason: "answers must be a JSON object of question id → answer")
        }
        var answers: [String: Answer] = [:]
        for id in fields.keys.sorted(by: ByteOrder.precedes) {
            guard let question = questionnaire.question(id) else { throw AnswerError(question: id, reason: "unknown question") }
            guard let value = fields[id], value != .null else { continue }
            answers[id] = try answer(value, for: question.kind, id: id)
        }
        return answers
    }

    /// Every problem with a set of answers, in questionnaire order.
    /// - Parameters:
    ///   - answers: The answers.
    ///   - questionnaire: The questionnaire.
    ///   - complete: Whether the response is being completed: then required questions that routing
    ///     asks must be answered (every row of a required matrix).
    /// - Returns: The problems; empty when the answers are acceptable.
    public static func problems(in answers: [String: Answer], for questionnaire: Questionnaire, complete: Bool) -> [AnswerError] {
        var problems: [AnswerError] = []
        for id in answers.keys where questionnaire.question(id) == nil {
            problems.append(AnswerError(question: id, reason: "unknown question"))
        }
        problems.sort { ByteOrder.precedes($0.question, $1.question) }
        for question in questionnaire.questions {
            let id = question.id
            guard let answer = answers[id] else {
                if complete && question.required && questionnaire.isAsked(id, given: answers) {
                    problems.append(AnswerError(question: id, reason: "required"))
                }
                continue
            }
            if let unmet = questionnaire.rule(for: id)?.unmetCondition(answers) {
                problems.append(AnswerError(question: id, reason: "routing skips this question (its condition on \(unmet) is not met)"))
                continue
            }
            problems.append(contentsOf: check(answer, question.kind, id: id))
            if complete, question.required, case .matrix(let rows, _) = question.kind, case .rows(let given) = answer {
                for row in rows where given[row.code] == nil {
                    problems.append(AnswerError(question: id + "." + row.code, reason: "required"))
                }
            }
        }
        return problems
    }

    /// Throws the first problem, if any.
    /// - Parameters:
    ///   - answers: The answers.
    ///   - questionnaire: The questionnaire.
    ///   - complete: Whether required questions must be answered.
    /// - Throws: `AnswerError`.
    public static func validate(_ answers: [String: Answer], for questionnaire: Questionnaire, complete: Bool) throws(AnswerError) {
        if let first = problems(in: answers, for: questionnaire, complete: complete).first { throw first }
    }

    static func check(_ answer: Answer, _ kind: Question.Kind, id: String) -> [AnswerError] {
        func refuse(_ reason: String) -> [AnswerError] { [AnswerError(question: id, reason: reason)] }
        switch (kind, answer) {
        case (.yesNo(let dontKnow), .choice(let code)):
            let codes = dontKnow ? ["yes", "no", "dont_know"] : ["yes", "no"]
            return codes.contains(code) ? [] : refuse("\"\(code)\" is not one of \(codes.joined(separator: ", "))")
        case (.singleChoice(let options), .choice(let code)):
            return options.contains { $0.code == code } ? [] : refuse("\"\(code)\" is not an option")
        case (.multipleChoice(let options), .choices(let codes)):
            if let unknown = codes.first(where: { code in !options.contains { $0.code == code } }) {
                return refuse("\"\(unknown)\" is not an option")
            }
            return Set(codes).count == codes.count ? [] : refuse("an option is selected twice")
        case (.likert(let scale), .number(let value)):
            return value == value.rounded() && value >= 1 && value <= Double(scale) ? [] : refuse("\(value) is not an integer from 1 to \(scale)")
        case (.numeric(let low, let high), .number(let value)):
            if !value.isFinite { return refuse("is not a finite number") }
            if let low, value < low { return refuse("\(value) is below the minimum \(low)") }
            if let high, value > high { return refuse("\(value) is above the maximum \(high)") }
            return []
        case (.text, .text):
            return []
        case (.matrix(let rows, let scale), .rows(let given)):
            var problems: [AnswerError] = []
            for code in given.keys.sorted(by: ByteOrder.precedes) {
                guard rows.contains(where: { $0.code == code }), let value = given[code] else {
                    problems.append(AnswerError(question: id + "." + code, reason: "unknown row"))
                    continue
                }
                switch scale {
                case .likert(let points): problems += check(value, .likert(scale: points), id: id + "." + code)
                case .options(let options): problems += check(value, .singleChoice(options), id: id + "." + code)
                }
            }
            return problems
        default:
            return refuse("wrong form of answer for a \(name(kind)) question")
        }
    }

    static func answer(_ value: JSONValue, for kind: Question.Kind, id: String) throws(AnswerError) -> Answer {
        switch (kind, value) {
        case (.yesNo, _), (.singleChoice, _):
            if let code = value.code { return .choice(code) }
        case (.multipleChoice, .array(let items)):
            var codes: [String] = []
            for item in items {
                guard let code = item.code else { throw AnswerError(question: id, reason: "selections must be codes") }
                codes.append(code)
            }
            return .choices(codes)
        case (.likert, .number(let number)), (.numeric, .number(let number)):
            return .number(number)
        case (.text, .string(let text)):
            return .text(text)
        case (.matrix(_, let scale), .object(let fields)):
            var rows: [String: Answer] = [:]
            for code in fields.keys.sorted(by: ByteOrder.precedes) {
                guard let field = fields[code], field != .null else { continue }
                switch scale {
                case .likert(let points): rows[code] = try answer(field, for: .likert(scale: points), id: id + "." + code)
                case .options(let options): rows[code] = try answer(field, for: .singleChoice(options), id: id + "." + code)
                }
            }
            return .rows(rows)
        default:
            break
        }
        throw AnswerError(question: id, reason: "\(value.kind) is not an answer to a \(name(kind)) question")
    }

    static func name(_ kind: Question.Kind) -> String {
        switch kind {
        case .yesNo: "yes/no"
        case .singleChoice: "single-choice"
        case .multipleChoice: "multiple-choice"
        case .likert: "Likert"
        case .numeric: "numeric"
        case .text: "text"
        case .matrix: "matrix"
        }
    }
}
