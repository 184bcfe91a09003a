import Foundation

/// The codebook of a questionnaire: what every microdata column holds, its question text, type,
/// value labels and the routing that decides whether it is asked.
enum Codebook {
    /// One value of one column (a column without coded values has one entry with an empty value).
    struct Entry {
        var column: String
        var question: String
        var row: String
        var type: String
        var text: String
        var rowLabel: String
        var value: String
        var valueLabel: String
        var routing: String
        var concept: String
    }

    static func entries(_ questionnaire: Questionnaire) -> [Entry] {
        var entries: [Entry] = []
        for column in AnswerCoding.columns(questionnaire) {
            let question = column.question
            var rowLabel = ""
            if case .matrix(let rows, _) = question.kind { rowLabel = rows.first { $0.code == column.row }?.label ?? "" }
            let base = Entry(column: column.column, question: question.id, row: column.row ?? "", type: typeName(question.kind),
                             text: question.text, rowLabel: rowLabel, value: "", valueLabel: "",
                             routing: routing(questionnaire, question.id), concept: question.concept ?? "")
            let values = valueLabels(question.kind)
            if values.isEmpty {
                entries.append(base)
            } else {
                for (value, label) in values {
                    var entry = base
                    entry.value = value
                    entry.valueLabel = label
                    entries.append(entry)
                }
            }
        }
        return entries
    }

    /// The codebook as JSON: `{"wave", "questionnaire_version", "columns": [{column, question, row, type, text, values, routing}]}`.
    static func json(wave: WaveRecord, _ questionnaire: Questionnaire) -> String {
        let design = ["respondent", "stratum"] + (wave.design?.strata ?? []) + ["population", "respondents_in_stratum", "weight"]
        var columns: [[String: Any]] = design.map { ["column": $0, "type": "design"] }
        for column in AnswerCoding.columns(questionnaire) {
            let question = column.question
            var object: [String: Any] = ["column": column.column, "question": question.id, "type": typeName(question.kind),
                                         "text": question.text,
                                         "values": valueLabels(question.kind).map { ["value": $0.0, "label": $0.1] }]
            if let row = column.row { object["row"] = row }
            if let concept = question.concept { object["concept"] = concept }
            let rule = routing(questionnaire, question.id)
            if !rule.isEmpty { object["routing"] = rule }
            if case .numeric(let low, let high) = question.kind {
                if let low { object["min"] = low }
                if let high { object["max"] = high }
            }
            columns.append(object)
        }
        let document: [String: Any] = ["wave": wave.id, "wave_name": wave.name, "reference_period": wave.referencePeriod,
                                       "questionnaire_version": wave.questionnaireVersion, "columns": columns,
                                       "notes": "Empty cells: not answered or skipped by routing. Multiple choice: the codes selected, "
                                           + "joined by \";\". weight = population / respondents_in_stratum (N_h/m_h)."]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func typeName(_ kind: Question.Kind) -> String {
        switch kind {
        case .yesNo: "yes_no"
        case .singleChoice: "single_choice"
        case .multipleChoice: "multiple_choice"
        case .likert: "likert"
        case .numeric: "numeric"
        case .text: "text"
        case .matrix: "matrix"
        }
    }

    static func valueLabels(_ kind: Question.Kind) -> [(String, String)] {
        switch kind {
        case .yesNo(let dontKnow): [("yes", "Yes"), ("no", "No")] + (dontKnow ? [("dont_know", "Don't know")] : [])
        case .singleChoice(let options), .multipleChoice(let options): options.map { ($0.code, $0.label) }
        case .likert(let scale): (1...scale).map { (String($0), "") }
        case .numeric, .text: []
        case .matrix(_, let scale): valueLabels(AnswerCoding.rowKind(scale))
        }
    }

    /// "q1 = yes" (conditions ANDed, values ORed with "|"), or "" when always asked.
    static func routing(_ questionnaire: Questionnaire, _ id: String) -> String {
        guard let rule = questionnaire.rule(for: id) else { return "" }
        return rule.when.keys.sorted().map { "\($0) = \((rule.when[$0] ?? []).joined(separator: "|"))" }.joined(separator: " and ")
    }
}
