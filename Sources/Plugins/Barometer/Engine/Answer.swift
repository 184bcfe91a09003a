/// One answer to one question.
///
/// As JSON (`Questionnaire.answers(json:)`): a string for yes/no and single choice, an array of
/// strings for multiple choice, a number for Likert and numeric, a string for text, and an object of
/// row code → value for a matrix. Codes may also be written as integers.
public enum Answer: Sendable, Equatable {
    /// A yes/no or single-choice code.
    case choice(String)
    /// The codes selected in a multiple-choice question.
    case choices([String])
    /// A Likert value or a number.
    case number(Double)
    case text(String)
    /// Matrix rows answered, row code → `.number` (Likert scale) or `.choice` (options).
    case rows([String: Answer])
}
