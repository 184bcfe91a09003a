/// What is wrong with a questionnaire document, and where: `path` names the place in the JSON, such as
/// `questions[2].options[1].code` or `routing[0].when.q9`.
public struct QuestionnaireError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - path: Where in the document.
    ///   - message: What is wrong.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? message : "\(path): \(message)"
    }
}
