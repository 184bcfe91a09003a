/// Why an answer was refused: the question it concerns and the reason.
public struct AnswerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The question id (for a matrix row, "question.row").
    public var question: String
    public var reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - question: The question id.
    ///   - reason: Why.
    public init(question: String, reason: String) {
        self.question = question
        self.reason = reason
    }

    public var description: String {
        "\(question): \(reason)"
    }
}
