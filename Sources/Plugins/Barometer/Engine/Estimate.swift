/// One estimate: a proportion of a category or a mean, for one question (or matrix row) in one domain.
public struct Estimate: Sendable, Equatable {
    /// What is estimated.
    public enum Statistic: Sendable, Equatable, Hashable {
        /// The share of answers in a category (for multiple choice: of answerers who selected it).
        case proportion(category: String)
        /// The mean of a numeric or Likert answer.
        case mean
    }

    /// The numbers, absent when the cell is suppressed.
    public struct Value: Sendable, Equatable {
        public var estimate: Double
        public var standardError: Double
        /// The confidence interval: logit-transformed for proportions (R `svyciprop(method = "logit")`),
        /// symmetric t for means; nil when the domain has no degrees of freedom (R gives NaN).
        public var lower: Double?
        public var upper: Double?
        /// R's `degf` of the domain: its respondents minus the strata they fall in.
        public var degreesOfFreedom: Int

        /// Creates a value.
        /// - Parameters:
        ///   - estimate: The proportion or mean.
        ///   - standardError: Its standard error.
        ///   - lower: The interval's lower end.
        ///   - upper: The interval's upper end.
        ///   - degreesOfFreedom: The domain's degrees of freedom.
        public init(estimate: Double, standardError: Double, lower: Double?, upper: Double?, degreesOfFreedom: Int) {
            self.estimate = estimate
            self.standardError = standardError
            self.lower = lower
            self.upper = upper
            self.degreesOfFreedom = degreesOfFreedom
        }
    }

    public var question: String
    /// The matrix row, for matrix questions.
    public var row: String?
    public var statistic: Statistic
    public var domain: Domain
    /// Respondents in the domain who answered: the count disclosure control compares with the minimum.
    public var respondents: Int
    /// Nil when suppressed: fewer respondents answered than the minimum.
    public var value: Value?

    /// Creates an estimate.
    /// - Parameters:
    ///   - question: The question id.
    ///   - row: The matrix row, if any.
    ///   - statistic: What is estimated.
    ///   - domain: The domain.
    ///   - respondents: Answerers in the domain.
    ///   - value: The numbers, nil when suppressed.
    public init(question: String, row: String?, statistic: Statistic, domain: Domain, respondents: Int, value: Value?) {
        self.question = question
        self.row = row
        self.statistic = statistic
        self.domain = domain
        self.respondents = respondents
        self.value = value
    }

    /// Whether disclosure control withheld the numbers.
    public var suppressed: Bool { value == nil }
}
