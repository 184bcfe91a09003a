/// Reads a questionnaire document, refusing anything it does not understand with the JSON path:
///
/// ```json
/// {"questions": [{"id": "q1", "type": "yes_no", "text": "…", "dont_know": true, "concept": "innovated"},
///                {"id": "q2", "type": "single_choice", "text": "…", "options": [{"code": "a", "label": "…"}]},
///                {"id": "q3", "type": "likert", "text": "…", "scale": 5},
///                {"id": "q4", "type": "numeric", "text": "…", "min": 0, "max": 100},
///                {"id": "q5", "type": "matrix", "text": "…", "rows": [{"code": "r1", "label": "…"}], "scale": 5}],
///  "routing": [{"question": "q2", "when": {"q1": "yes"}}]}
/// ```
///
/// Keys: every question has `id`, `type`, `text`, and may have `concept`, `required`, `description`;
/// `options` (single and multiple choice, or a matrix), `scale` (Likert, or a matrix), `min`/`max`
/// (numeric), `dont_know` (yes/no), `rows` (matrix). Unknown keys are refused, so a misspelt `optoins`
/// cannot silently drop a question's options. A `when` value is one value or an array of them.
enum QuestionnaireParser {
    static let common: Set<String> = ["id", "type", "text", "concept", "required", "description"]
    static let extra: [String: Set<String>] = [
        "yes_no": ["dont_know"], "single_choice": ["options"], "multiple_choice": ["options"], "likert": ["scale"],
        "numeric": ["min", "max"], "text": [], "matrix": ["rows", "scale", "options"],
    ]

    static func parse(_ text: String) throws(QuestionnaireError) -> Questionnaire {
        guard let document = JSONValue.parse(text) else { throw QuestionnaireError(path: "", message: "not valid JSON") }
        guard case .object(let root) = document else { throw QuestionnaireError(path: "", message: "must be an object") }
        try refuseUnknownKeys(root, allowed: ["questions", "routing"], path: "")
        guard case .array(let items)? = root["questions"] else {
            throw QuestionnaireError(path: "questions", message: "must be an array of questions")
        }
        var questions: [Question] = []
        for (index, item) in items.enumerated() {
            questions.append(try question(item, path: "questions[\(index)]"))
        }
        var routing: [RoutingRule] = []
        switch root["routing"] {
        case nil, .null?: break
        case .array(let rules)?:
            for (index, rule) in rules.enumerated() { routing.append(try routingRule(rule, path: "routing[\(index)]")) }
        case let other?: throw QuestionnaireError(path: "routing", message: "must be an array, not \(other.kind)")
        }
        return try Questionnaire(questions: questions, routing: routing)
    }

    static func question(_ value: JSONValue, path: String) throws(QuestionnaireError) -> Question {
        guard case .object(let fields) = value else { throw QuestionnaireError(path: path, message: "must be an object") }
        let id = try string(fields["id"], path: path + ".id")
        let type = try string(fields["type"], path: path + ".type")
        guard let allowed = extra[type] else {
            throw QuestionnaireError(path: path + ".type", message: "unknown type \"\(type)\" (yes_no, single_choice, "
                                     + "multiple_choice, likert, numeric, text, matrix)")
        }
        try refuseUnknownKeys(fields, allowed: common.union(allowed), path: path)
        let text = try string(fields["text"], path: path + ".text")
        let concept = try fields["concept"].map { (value) throws(QuestionnaireError) in try string(value, path: path + ".concept") }
        if let description = fields["description"] { _ = try string(description, path: path + ".description", allowEmpty: true) }
        let required = try bool(fields["required"], path: path + ".required")
        let kind: Question.Kind
        switch type {
        case "yes_no": kind = .yesNo(dontKnow: try bool(fields["dont_know"], path: path + ".dont_know"))
        case "single_choice": kind = .singleChoice(try options(fields["options"], path: path + ".options"))
        case "multiple_choice": kind = .multipleChoice(try options(fields["options"], path: path + ".options"))
        case "likert": kind = .likert(scale: try scale(fields["scale"], path: path + ".scale"))
        case "numeric":
            let low = try number(fields["min"], path: path + ".min")
            let high = try number(fields["max"], path: path + ".max")
            if let low, let high, low > high { throw QuestionnaireError(path: path + ".max", message: "is below min") }
            kind = .numeric(min: low, max: high)
        case "matrix":
            let rows = try options(fields["rows"], path: path + ".rows")
            switch (fields["scale"], fields["options"]) {
            case (let scaleValue?, nil): kind = .matrix(rows: rows, scale: .likert(try scale(scaleValue, path: path + ".scale")))
            case (nil, let optionValues?): kind = .matrix(rows: rows, scale: .options(try options(optionValues, path: path + ".options")))
            default: throw QuestionnaireError(path: path, message: "a matrix needs either scale or options, not both or neither")
            }
        default: kind = .text
        }
        return Question(id: id, text: text, kind: kind, concept: concept, required: required)
    }

    static func routingRule(_ value: JSONValue, path: String) throws(QuestionnaireError) -> RoutingRule {
        guard case .object(let fields) = value else { throw QuestionnaireError(path: path, message: "must be an object") }
        try refuseUnknownKeys(fields, allowed: ["question", "when"], path: path)
        let question = try string(fields["question"], path: path + ".question")
        guard case .object(let conditions)? = fields["when"], !conditions.isEmpty else {
            throw QuestionnaireError(path: path + ".when", message: "must be an object of question id → value(s)")
        }
        var when: [String: [String]] = [:]
        for source in conditions.keys.sorted(by: ByteOrder.precedes) {
            let conditionPath = path + ".when." + source
            let values: [JSONValue] = if case .array(let list)? = conditions[source] { list } else { [conditions[source] ?? .null] }
            if values.isEmpty { throw QuestionnaireError(path: conditionPath, message: "lists no values") }
            var codes: [String] = []
            for value in values {
                guard let code = value.code else {
                    throw QuestionnaireError(path: conditionPath, message: "must be a code or an integer, not \(value.kind)")
                }
                codes.append(code)
            }
            when[source] = codes
        }
        return RoutingRule(question: question, when: when)
    }

    static func options(_ value: JSONValue?, path: String) throws(QuestionnaireError) -> [Question.Option] {
        guard case .array(let items)? = value, !items.isEmpty else {
            throw QuestionnaireError(path: path, message: "must be a non-empty array of {code, label}")
        }
        var options: [Question.Option] = []
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard case .object(let fields) = item else { throw QuestionnaireError(path: itemPath, message: "must be an object") }
            try refuseUnknownKeys(fields, allowed: ["code", "label"], path: itemPath)
            guard let code = fields["code"]?.code, !code.isEmpty else {
                throw QuestionnaireError(path: itemPath + ".code", message: "must be a non-empty string or an integer")
            }
            if !seen.insert(code).inserted { throw QuestionnaireError(path: itemPath + ".code", message: "duplicate code \"\(code)\"") }
            options.append(Question.Option(code: code, label: try string(fields["label"], path: itemPath + ".label")))
        }
        return options
    }

    static func scale(_ value: JSONValue?, path: String) throws(QuestionnaireError) -> Int {
        guard case .number(let number)? = value, number == number.rounded(), number >= 2, number <= 100 else {
            throw QuestionnaireError(path: path, message: "must be an integer from 2 to 100")
        }
        return Int(number)
    }

    static func string(_ value: JSONValue?, path: String, allowEmpty: Bool = false) throws(QuestionnaireError) -> String {
        guard case .string(let text)? = value else {
            throw QuestionnaireError(path: path, message: value == nil ? "is missing" : "must be a string, not \(value?.kind ?? "")")
        }
        if text.isEmpty && !allowEmpty { throw QuestionnaireError(path: path, message: "must not be empty") }
        return text
    }

    static func bool(_ value: JSONValue?, path: String) throws(QuestionnaireError) -> Bool {
        switch value {
        case nil: return false
        case .bool(let flag)?: return flag
        case let other?: throw QuestionnaireError(path: path, message: "must be true or false, not \(other.kind)")
        }
    }

    static func number(_ value: JSONValue?, path: String) throws(QuestionnaireError) -> Double? {
        switch value {
        case nil, .null?: return nil
        case .number(let number)?: return number
        case let other?: throw QuestionnaireError(path: path, message: "must be a number, not \(other.kind)")
        }
    }

    static func refuseUnknownKeys(_ fields: [String: JSONValue], allowed: Set<String>, path: String) throws(QuestionnaireError) {
        if let unknown = fields.keys.filter({ !allowed.contains($0) }).sorted(by: ByteOrder.precedes).first {
            throw QuestionnaireError(path: path.isEmpty ? unknown : path + "." + unknown, message: "unknown key")
        }
    }
}
