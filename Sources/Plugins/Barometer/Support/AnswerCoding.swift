import Foundation

/// Answers to and from their stored JSON (the same form respondents send, `Answer` documents it)
/// and to and from the cells of wide CSV files (imports and microdata).
enum AnswerCoding {
    /// Answers as a JSON object, keys sorted so equal answers store equal text.
    static func json(_ answers: [String: Answer]) -> String {
        let object = answers.mapValues(value)
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// One answer as a JSON-serializable value.
    static func value(_ answer: Answer) -> Any {
        switch answer {
        case .choice(let code): code
        case .choices(let codes): codes
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? Int64(number) as Any : number as Any
        case .text(let text): text
        case .rows(let rows): rows.mapValues(value)
        }
    }

    /// An answer as one CSV cell: the code, the number, the text, or the codes of a multiple choice
    /// joined by ";". A matrix is written one column per row (`cell` of each row's answer).
    static func cell(_ answer: Answer?) -> String {
        switch answer {
        case nil: ""
        case .choice(let code): code
        case .choices(let codes): codes.joined(separator: ";")
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .text(let text): text
        case .rows: ""
        }
    }

    /// Reads a CSV cell as the answer to a question of a type (not checked against options or ranges:
    /// `AnswerValidator` does that with the other answers).
    /// - Parameters:
    ///   - text: The cell, not empty.
    ///   - kind: The question's type (for a matrix column, the row's own type).
    /// - Returns: The answer, or nil when the text cannot be one (a word where a number belongs).
    static func answer(cell text: String, kind: Question.Kind) -> Answer? {
        switch kind {
        case .yesNo, .singleChoice: .choice(text)
        case .multipleChoice: .choices(text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        case .likert, .numeric: Double(text.replacingOccurrences(of: ",", with: ".")).map(Answer.number)
        case .text: .text(text)
        case .matrix: nil
        }
    }

    /// The type of a matrix row's answers.
    static func rowKind(_ scale: Question.MatrixScale) -> Question.Kind {
        switch scale {
        case .likert(let points): .likert(scale: points)
        case .options(let options): .singleChoice(options)
        }
    }

    /// The CSV columns of a questionnaire: a question's id, or "id.row" for each matrix row.
    static func columns(_ questionnaire: Questionnaire) -> [(column: String, question: Question, row: String?)] {
        questionnaire.questions.flatMap { question -> [(column: String, question: Question, row: String?)] in
            if case .matrix(let rows, _) = question.kind { return rows.map { (question.id + "." + $0.code, question, $0.code) } }
            return [(question.id, question, nil)]
        }
    }
}
