/// When a question is asked: only if every condition holds (conditions are ANDed; the values listed
/// for one condition are ORed). A question without a rule is always asked.
///
/// A condition on a yes/no, single-choice or Likert question holds when its answer is one of the
/// values; on a multiple-choice question, when one of the values was selected. An unanswered (or
/// itself skipped) question meets no condition, so routing chains: skip q1 and everything routed on
/// q1 is skipped too.
public struct RoutingRule: Sendable, Equatable {
    /// The question this rule shows or skips.
    public var question: String
    /// Question id → the accepted values (codes; Likert values as their integer text).
    public var when: [String: [String]]

    /// Creates a rule.
    /// - Parameters:
    ///   - question: The routed question.
    ///   - when: Conditions.
    public init(question: String, when: [String: [String]]) {
        self.question = question
        self.when = when
    }

    /// The first condition (by question id, in byte order) the answers do not meet, or nil.
    /// - Parameter answers: The answers given so far.
    /// - Returns: The question id of the unmet condition.
    public func unmetCondition(_ answers: [String: Answer]) -> String? {
        for source in when.keys.sorted(by: ByteOrder.precedes) {
            let accepted = when[source] ?? []
            let met: Bool = switch answers[source] {
            case .choice(let code): accepted.contains(code)
            case .choices(let codes): codes.contains { accepted.contains($0) }
            case .number(let value): accepted.contains { Double($0) == value }
            case .text, .rows, nil: false
            }
            if !met { return source }
        }
        return nil
    }
}
