/// One thing estimates are made of: a question, or one row of a matrix, with every respondent's answer
/// laid out as arrays so a domain's estimates are a few passes over its rows.
struct EstimationItem: Sendable {
    let question: String
    let row: String?
    /// Categories whose proportions are estimated (none for numeric questions).
    let categories: [String]
    let hasMean: Bool
    /// Per respondent: whether this item was answered (routing skips and item non-response are not).
    let answered: [Bool]
    /// Per respondent: the index of the category answered (-1 for none); unused for multiple choice.
    let category: [Int]
    /// Multiple choice: per category, per respondent, whether it was selected.
    let selected: [[Bool]]
    /// Per respondent: the value whose mean is estimated (numeric, or the Likert point).
    let value: [Double]

    /// The items of a question: one, a matrix's rows, or none for text.
    static func items(of question: Question, respondents: [Respondent]) -> [EstimationItem] {
        let answers = respondents.map { $0.answers[question.id] }
        switch question.kind {
        case .yesNo, .singleChoice:
            return [coded(question.id, nil, question.codes, answers)]
        case .likert(let scale):
            return [likert(question.id, nil, scale, answers)]
        case .multipleChoice(let options):
            let codes = options.map(\.code)
            let selections = answers.map { answer -> [String]? in if case .choices(let codes)? = answer { codes } else { nil } }
            return [EstimationItem(question: question.id, row: nil, categories: codes, hasMean: false,
                                   answered: selections.map { $0 != nil }, category: [],
                                   selected: codes.map { code in selections.map { $0?.contains(code) ?? false } }, value: [])]
        case .numeric:
            let values = answers.map { answer -> Double? in if case .number(let value)? = answer { value } else { nil } }
            return [EstimationItem(question: question.id, row: nil, categories: [], hasMean: true, answered: values.map { $0 != nil },
                                   category: [], selected: [], value: values.map { $0 ?? 0 })]
        case .text:
            return []
        case .matrix(let rows, let scale):
            return rows.map { row in
                let cells = answers.map { answer -> Answer? in if case .rows(let given)? = answer { given[row.code] } else { nil } }
                switch scale {
                case .likert(let points): return likert(question.id, row.code, points, cells)
                case .options(let options): return coded(question.id, row.code, options.map(\.code), cells)
                }
            }
        }
    }

    static func coded(_ question: String, _ row: String?, _ codes: [String], _ answers: [Answer?]) -> EstimationItem {
        var index: [String: Int] = [:]
        for (position, code) in codes.enumerated() { index[code] = position }
        let category = answers.map { answer -> Int in if case .choice(let code)? = answer { index[code] ?? -1 } else { -1 } }
        return EstimationItem(question: question, row: row, categories: codes, hasMean: false, answered: category.map { $0 >= 0 },
                              category: category, selected: [], value: [])
    }

    static func likert(_ question: String, _ row: String?, _ scale: Int, _ answers: [Answer?]) -> EstimationItem {
        let category = answers.map { answer -> Int in
            guard case .number(let value)? = answer, value == value.rounded(), value >= 1, value <= Double(scale) else { return -1 }
            return Int(value) - 1
        }
        return EstimationItem(question: question, row: row, categories: (1...scale).map(String.init), hasMean: true,
                              answered: category.map { $0 >= 0 }, category: category, selected: [],
                              value: category.map { Double($0 + 1) })
    }

    /// The 0/1 indicator of a category for a respondent.
    func indicator(_ categoryIndex: Int, _ row: Int) -> Double {
        if selected.isEmpty { return category[row] == categoryIndex ? 1 : 0 }
        return selected[categoryIndex][row] ? 1 : 0
    }
}
