@testable import COIBarometer
import Testing

@Suite struct QuestionnaireTests {
    static let valid = """
    {"questions": [
      {"id": "q1", "type": "yes_no", "text": "Innovated?", "dont_know": true, "concept": "innovation", "required": true},
      {"id": "q2", "type": "single_choice", "text": "Kind?", "options": [{"code": "a", "label": "A"}, {"code": 2, "label": "B"}]},
      {"id": "q3", "type": "multiple_choice", "text": "Who?", "options": [{"code": "x", "label": "X"}, {"code": "y", "label": "Y"}]},
      {"id": "q4", "type": "likert", "text": "Satisfied?", "scale": 5},
      {"id": "q5", "type": "numeric", "text": "Share", "min": 0, "max": 100},
      {"id": "q6", "type": "text", "text": "Comment", "description": ""},
      {"id": "q7", "type": "matrix", "text": "Effects", "rows": [{"code": "r1", "label": "R1"}], "scale": 4},
      {"id": "q8", "type": "matrix", "text": "Barriers", "rows": [{"code": "r1", "label": "R1"}], "options": [{"code": "big", "label": "Big"}]}],
     "routing": [{"question": "q2", "when": {"q1": "yes"}}, {"question": "q3", "when": {"q1": ["yes", "dont_know"], "q4": [4, 5]}}]}
    """

    /// The valid document with one substitution.
    func variant(_ old: String, _ new: String) -> String {
        Self.valid.replacingOccurrences(of: old, with: new)
    }

    func error(_ json: String) -> QuestionnaireError? {
        do {
            _ = try Questionnaire.parse(json: json)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesEveryType() throws {
        let questionnaire = try Questionnaire.parse(json: Self.valid)
        #expect(questionnaire.questions.map(\.id) == ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"])
        #expect(questionnaire.question("q1")?.kind == .yesNo(dontKnow: true))
        #expect(questionnaire.question("q1")?.concept == "innovation" && questionnaire.question("q1")?.required == true)
        #expect(questionnaire.question("q2")?.codes == ["a", "2"])
        #expect(questionnaire.question("q4")?.kind == .likert(scale: 5))
        #expect(questionnaire.question("q5")?.kind == .numeric(min: 0, max: 100))
        #expect(questionnaire.question("q7")?.kind == .matrix(rows: [Question.Option(code: "r1", label: "R1")], scale: .likert(4)))
        #expect(questionnaire.rule(for: "q3")?.when == ["q1": ["yes", "dont_know"], "q4": ["4", "5"]])
    }

    @Test func routingAsksOnlyWhenEveryConditionHolds() throws {
        let questionnaire = try Questionnaire.parse(json: Self.valid)
        #expect(questionnaire.isAsked("q1", given: [:]))
        #expect(!questionnaire.isAsked("q2", given: [:]))
        #expect(questionnaire.isAsked("q2", given: ["q1": .choice("yes")]))
        #expect(!questionnaire.isAsked("q3", given: ["q1": .choice("dont_know"), "q4": .number(3)]))
        #expect(questionnaire.isAsked("q3", given: ["q1": .choice("dont_know"), "q4": .number(5)]))
    }

    @Test func documentErrorsNameThePath() {
        let cases: [(String, String)] = [
            ("not json", ": not valid JSON"),
            (variant("\"id\": \"q2\"", "\"id\": \"q1\""), "questions[1].id: duplicate id \"q1\" (also questions[0])"),
            (variant("\"type\": \"text\"", "\"type\": \"essay\""), "questions[5].type: unknown type \"essay\""),
            (variant("\"scale\": 5", "\"scale\": 5, \"optoins\": []"), "questions[3].optoins: unknown key"),
            (variant("{\"code\": 2, \"label\": \"B\"}", "{\"code\": \"a\", \"label\": \"B\"}"), "questions[1].options[1].code: duplicate code \"a\""),
            (variant("\"scale\": 5", "\"scale\": 2.5"), "questions[3].scale: must be an integer from 2 to 100"),
            (variant("\"min\": 0", "\"min\": 200"), "questions[4].max: is below min"),
            (variant("\"scale\": 4", "\"scale\": 4, \"options\": [{\"code\": \"a\", \"label\": \"A\"}]"), "questions[6]: a matrix needs"),
            (variant("\"question\": \"q2\"", "\"question\": \"q9\""), "routing[0].question: unknown question \"q9\""),
            (variant("{\"q1\": \"yes\"}", "{\"q9\": \"yes\"}"), "routing[0].when.q9: unknown question \"q9\""),
            (variant("{\"q1\": \"yes\"}", "{\"q1\": \"maybe\"}"), "routing[0].when.q1: \"maybe\" is not a value of \"q1\""),
            (variant("[4, 5]", "[4, 6]"), "routing[1].when.q4: \"6\" is not a value of \"q4\""),
            (variant("{\"q1\": \"yes\"}", "{\"q5\": 3}"), "routing[0].when.q5: cannot route on \"q5\""),
            (variant("\"question\": \"q3\"", "\"question\": \"q2\""), "routing[1].question: \"q2\" is already routed by routing[0]"),
            (variant("{\"q1\": \"yes\"}", "{\"q2\": \"a\"}"), "routing[0]: routing cycle q2 → q2"),
            (variant("\"routing\": [", "\"routing\": [{\"question\": \"q1\", \"when\": {\"q3\": \"x\"}}, "),
             "routing[0]: routing cycle q1 → q3 → q1"),
            (variant("\"text\": \"Share\"", "\"text\": \"\""), "questions[4].text: must not be empty"),
        ]
        for (json, expected) in cases {
            let description = error(json)?.description ?? "accepted"
            #expect(description.hasPrefix(expected.hasPrefix(":") ? String(expected.dropFirst(2)) : expected), "got \(description)")
        }
    }
}
