@testable import COIBarometer
import Testing

@Suite struct AnswerValidatorTests {
    let questionnaire: Questionnaire

    init() throws {
        questionnaire = try Questionnaire.parse(json: QuestionnaireTests.valid)
    }

    func problems(_ answers: [String: Answer], complete: Bool = false) -> [String] {
        AnswerValidator.problems(in: answers, for: questionnaire, complete: complete).map(\.description)
    }

    @Test func parsesJSONAnswersByQuestionType() throws {
        let answers = try AnswerValidator.parse(json: """
            {"q1": "yes", "q2": 2, "q3": ["x"], "q4": 4, "q5": 12.5, "q6": null, "q7": {"r1": 3}, "q8": {"r1": "big"}}
            """, for: questionnaire)
        #expect(answers["q1"] == .choice("yes"))
        #expect(answers["q3"] == .choices(["x"]))
        #expect(answers["q5"] == .number(12.5))
        #expect(answers["q7"] == .rows(["r1": .number(3)]))
        #expect(answers["q2"] == .choice("2") && answers["q6"] == nil)
        #expect(throws: AnswerError(question: "q9", reason: "unknown question")) {
            try AnswerValidator.parse(json: "{\"q9\": 1}", for: questionnaire)
        }
        #expect(throws: AnswerError(question: "q3", reason: "a string is not an answer to a multiple-choice question")) {
            try AnswerValidator.parse(json: "{\"q3\": \"x\"}", for: questionnaire)
        }
    }

    @Test func acceptsValidAnswers() {
        let answers: [String: Answer] = ["q1": .choice("yes"), "q2": .choice("2"), "q3": .choices([]), "q4": .number(5), "q5": .number(0),
                                         "q6": .text(""), "q7": .rows(["r1": .number(1)]), "q8": .rows(["r1": .choice("big")])]
        #expect(problems(answers, complete: true).isEmpty)
    }

    @Test func refusesAnswersOutOfTypeOrRange() {
        #expect(problems(["q1": .choice("maybe")]) == ["q1: \"maybe\" is not one of yes, no, dont_know"])
        #expect(problems(["q1": .choice("yes"), "q2": .choice("z")]) == ["q2: \"z\" is not an option"])
        #expect(problems(["q1": .choice("yes"), "q4": .number(4), "q3": .choices(["x", "x"])]) == ["q3: an option is selected twice"])
        #expect(problems(["q4": .number(6)]) == ["q4: 6.0 is not an integer from 1 to 5"])
        #expect(problems(["q4": .number(2.5)]) == ["q4: 2.5 is not an integer from 1 to 5"])
        #expect(problems(["q5": .number(101)]) == ["q5: 101.0 is above the maximum 100.0"])
        #expect(problems(["q5": .text("x")]) == ["q5: wrong form of answer for a numeric question"])
        #expect(problems(["q7": .rows(["r1": .number(5), "r9": .number(1)])]) == ["q7.r1: 5.0 is not an integer from 1 to 4", "q7.r9: unknown row"])
        #expect(problems(["q8": .rows(["r1": .choice("small")])]) == ["q8.r1: \"small\" is not an option"])
        #expect(problems(["zz": .text("?")]) == ["zz: unknown question"])
    }

    @Test func refusesAnswersToQuestionsRoutingSkips() {
        #expect(problems(["q1": .choice("no"), "q2": .choice("a")]) == ["q2: routing skips this question (its condition on q1 is not met)"])
        #expect(problems(["q2": .choice("a")]) == ["q2: routing skips this question (its condition on q1 is not met)"])
        #expect(problems(["q1": .choice("yes"), "q4": .number(2), "q3": .choices(["x"])])
            == ["q3: routing skips this question (its condition on q4 is not met)"])
        #expect(problems(["q1": .choice("dont_know"), "q4": .number(4), "q3": .choices(["x"])]).isEmpty)
    }

    @Test func completionNeedsRequiredQuestionsThatAreAsked() {
        #expect(problems([:], complete: true) == ["q1: required"])
        #expect(problems([:], complete: false).isEmpty)
        #expect(throws: AnswerError(question: "q1", reason: "required")) {
            try AnswerValidator.validate([:], for: questionnaire, complete: true)
        }
    }
}
