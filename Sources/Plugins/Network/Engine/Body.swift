/// Where a member holds their seat; raw values are the proto's and the stored ones.
public enum Body: Int, Sendable, CaseIterable, Comparable {
    case municipalCouncil = 1
    case regionalCouncil = 2
    case folketing = 3

    /// The name used in CSV, JSON keys and the config: "municipal_council", "regional_council", "folketing".
    public var slug: String {
        switch self {
        case .municipalCouncil: "municipal_council"
        case .regionalCouncil: "regional_council"
        case .folketing: "folketing"
        }
    }

    /// What "no member of …" says when the body is missing.
    public var missingPhrase: String {
        switch self {
        case .municipalCouncil: "no member of a municipal council"
        case .regionalCouncil: "no member of a regional council"
        case .folketing: "no member of the Folketing"
        }
    }

    /// The body named by its slug (case-insensitive; spaces and hyphens read as underscores).
    /// - Parameter slug: e.g. "folketing", "Municipal council".
    /// - Returns: The body, or nil.
    public init?(slug: String) {
        let key = slug.lowercased().replacing(" ", with: "_").replacing("-", with: "_")
        guard let body = Self.allCases.first(where: { $0.slug == key }) else { return nil }
        self = body
    }

    public static func < (lhs: Body, rhs: Body) -> Bool { lhs.rawValue < rhs.rawValue }
}
