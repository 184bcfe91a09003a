/// A level of the Danish public sector, as plugins classify workplaces and politicians.
public enum GovernmentLevel: String, Sendable, CaseIterable {
    case state
    case regional
    case municipal

    /// The Danish name.
    public var danishName: String {
        switch self {
        case .state: "Statslig"
        case .regional: "Regional"
        case .municipal: "Kommunal"
        }
    }

    /// The English name.
    public var englishName: String {
        switch self {
        case .state: "State"
        case .regional: "Regional"
        case .municipal: "Municipal"
        }
    }

    /// Reads a level the way people write it: the slug, or the Danish or English name in any case
    /// ("kommunal", "Municipal", "stat").
    /// - Parameter text: The text.
    /// - Returns: The level, or nil.
    public init?(text: String) {
        let folded = Denmark.foldedName(text)
        let match = Self.allCases.first { level in
            [level.rawValue, level.danishName, level.englishName].contains { Denmark.foldedName($0) == folded }
                || (level == .state && ["stat", "national"].contains(folded))
                || (level == .regional && folded == "region")
                || (level == .municipal && ["kommune", "kommunale"].contains(folded))
        }
        guard let match else { return nil }
        self = match
    }
}
