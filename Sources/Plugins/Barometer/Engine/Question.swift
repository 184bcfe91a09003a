/// One question of a questionnaire.
public struct Question: Sendable, Equatable {
    /// A coded answer option (or a matrix row).
    public struct Option: Sendable, Equatable {
        public var code: String
        public var label: String
        /// Creates an option.
        /// - Parameters:
        ///   - code: The code stored in answers.
        ///   - label: The text shown.
        public init(code: String, label: String) {
            self.code = code
            self.label = label
        }
    }

    /// What a matrix row is answered on.
    public enum MatrixScale: Sendable, Equatable {
        /// 1…k, as a Likert question.
        case likert(Int)
        /// One of the options, as a single-choice question.
        case options([Option])
    }

    /// The type of a question, with what its answers may be.
    public enum Kind: Sendable, Equatable {
        /// "yes" or "no", and "dont_know" when allowed.
        case yesNo(dontKnow: Bool)
        case singleChoice([Option])
        /// Any set of the options, the empty set included ("none of these").
        case multipleChoice([Option])
        /// An integer 1…scale.
        case likert(scale: Int)
        case numeric(min: Double?, max: Double?)
        case text
        /// Rows, each answered on the same scale; each row is estimated like a question of its own.
        case matrix(rows: [Option], scale: MatrixScale)
    }

    public var id: String
    public var text: String
    public var kind: Kind
    /// The same concept across questionnaire versions, so trends can join waves whose ids differ.
    public var concept: String?
    /// Whether a completed response must answer it (when routing shows it).
    public var required: Bool

    /// Creates a question.
    /// - Parameters:
    ///   - id: Its id, unique in the questionnaire.
    ///   - text: The question text.
    ///   - kind: Its type.
    ///   - concept: Its concept key across waves.
    ///   - required: Whether completion needs it.
    public init(id: String, text: String, kind: Kind, concept: String? = nil, required: Bool = false) {
        self.id = id
        self.text = text
        self.kind = kind
        self.concept = concept
        self.required = required
    }

    /// The answer codes of a coded question, in order: yes/no(/dont_know), or the option codes.
    /// Empty for Likert, numeric, text and matrix questions.
    public var codes: [String] {
        switch kind {
        case .yesNo(let dontKnow): dontKnow ? ["yes", "no", "dont_know"] : ["yes", "no"]
        case .singleChoice(let options), .multipleChoice(let options): options.map(\.code)
        case .likert, .numeric, .text, .matrix: []
        }
    }
}
