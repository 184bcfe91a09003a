/// A validated questionnaire: questions in order, and routing.
///
/// Validation (errors name the JSON path): ids unique; a question routed by at most one rule; rules
/// naming only known questions, conditions only on yes/no, single-choice, multiple-choice or Likert
/// questions and only with values those questions can take; no question routed on itself, directly
/// or through a chain (a cycle could never be asked).
public struct Questionnaire: Sendable, Equatable {
    public let questions: [Question]
    public let routing: [RoutingRule]
    let positions: [String: Int]
    let rules: [String: RoutingRule]

    /// Creates a questionnaire after validating it.
    /// - Parameters:
    ///   - questions: The questions, in order.
    ///   - routing: The routing rules.
    /// - Throws: `QuestionnaireError` naming the path of the first problem.
    public init(questions: [Question], routing: [RoutingRule] = []) throws(QuestionnaireError) {
        if questions.isEmpty { throw QuestionnaireError(path: "questions", message: "must not be empty") }
        var positions: [String: Int] = [:]
        for (index, question) in questions.enumerated() {
            if let first = positions[question.id] {
                throw QuestionnaireError(path: "questions[\(index)].id", message: "duplicate id \"\(question.id)\" (also questions[\(first)])")
            }
            positions[question.id] = index
        }
        var rules: [String: RoutingRule] = [:]
        var ruleIndex: [String: Int] = [:]
        for (index, rule) in routing.enumerated() {
            let path = "routing[\(index)]"
            guard positions[rule.question] != nil else {
                throw QuestionnaireError(path: path + ".question", message: "unknown question \"\(rule.question)\"")
            }
            if let first = ruleIndex[rule.question] {
                throw QuestionnaireError(path: path + ".question", message: "\"\(rule.question)\" is already routed by routing[\(first)]")
            }
            if rule.when.isEmpty { throw QuestionnaireError(path: path + ".when", message: "has no conditions") }
            for source in rule.when.keys.sorted(by: ByteOrder.precedes) {
                try Self.check(condition: source, values: rule.when[source] ?? [], in: questions, positions: positions,
                               path: path + ".when." + source)
            }
            rules[rule.question] = rule
            ruleIndex[rule.question] = index
        }
        if let cycle = Self.cycle(rules: rules, order: questions.map(\.id)) {
            throw QuestionnaireError(path: "routing[\(ruleIndex[cycle[0]] ?? 0)]",
                                     message: "routing cycle " + cycle.joined(separator: " → "))
        }
        self.questions = questions
        self.routing = routing
        self.positions = positions
        self.rules = rules
    }

    /// Parses and validates a questionnaire document (format: `QuestionnaireParser`).
    /// - Parameter json: The document.
    /// - Returns: The questionnaire.
    /// - Throws: `QuestionnaireError` naming the path of the first problem.
    public static func parse(json: String) throws(QuestionnaireError) -> Questionnaire {
        try QuestionnaireParser.parse(json)
    }

    /// The question with an id.
    /// - Parameter id: The id.
    /// - Returns: The question, or nil.
    public func question(_ id: String) -> Question? {
        positions[id].map { questions[$0] }
    }

    /// The rule routing a question, if any.
    /// - Parameter id: The question id.
    /// - Returns: The rule, or nil (always asked).
    public func rule(for id: String) -> RoutingRule? {
        rules[id]
    }

    /// Whether routing asks a question, given the other answers.
    /// - Parameters:
    ///   - id: The question id.
    ///   - answers: The answers given.
    /// - Returns: True when the question has no rule or its conditions are met.
    public func isAsked(_ id: String, given answers: [String: Answer]) -> Bool {
        rules[id]?.unmetCondition(answers) == nil
    }

    static func check(condition source: String, values: [String], in questions: [Question], positions: [String: Int],
                      path: String) throws(QuestionnaireError) {
        guard let position = positions[source] else { throw QuestionnaireError(path: path, message: "unknown question \"\(source)\"") }
        let question = questions[position]
        for value in values {
            let valid: Bool
            switch question.kind {
            case .yesNo, .singleChoice, .multipleChoice: valid = question.codes.contains(value)
            case .likert(let scale): valid = Int(value).map { (1...scale).contains($0) } ?? false
            case .numeric, .text, .matrix:
                throw QuestionnaireError(path: path, message: "cannot route on \"\(source)\": only yes/no, choice and Likert questions")
            }
            if !valid { throw QuestionnaireError(path: path, message: "\"\(value)\" is not a value of \"\(source)\"") }
        }
    }

    /// A routing cycle as the ids along it (first repeated at the end), or nil. Edges run from a
    /// condition's question to the routed question; depth-first in questionnaire order, so the cycle
    /// reported is always the same one.
    static func cycle(rules: [String: RoutingRule], order: [String]) -> [String]? {
        var state: [String: Bool] = [:]  // false: on the current path; true: finished
        var path: [String] = []
        func visit(_ id: String) -> [String]? {
            if let finished = state[id] {
                guard !finished, let start = path.firstIndex(of: id) else { return nil }
                return Array(path[start...]) + [id]
            }
            state[id] = false
            path.append(id)
            // Following the edges backwards (routed question → its conditions) finds the same cycles.
            for source in (rules[id]?.when.keys.sorted(by: ByteOrder.precedes) ?? []) {
                if let found = visit(source) { return found }
            }
            path.removeLast()
            state[id] = true
            return nil
        }
        for id in order {
            if let found = visit(id) { return Array(found.reversed()) }
        }
        return nil
    }
}
