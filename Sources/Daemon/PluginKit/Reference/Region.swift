/// One of Denmark's five administrative regions (regioner), in force since the 2007 municipal reform.
public struct Region: Sendable, Hashable, Identifiable {
    /// The official four-digit region code (regionskode) used by Danmarks Statistik and DAGI, 1081–1085.
    public let code: Int
    /// The official Danish name, e.g. "Region Sjælland".
    public let name: String
    /// A short lowercase ASCII slug, e.g. "sjaelland", for URLs, config keys and logs where
    /// a number is unreadable and æ/ø/å are awkward; it never changes once published.
    public let id: String

    // Internal so that every region in circulation is one of the five below, which lets
    // `Municipality.region` resolve without a failure path.
    init(code: Int, name: String, id: String) {
        self.code = code
        self.name = name
        self.id = id
    }

    /// Region Nordjylland (1081).
    public static let nordjylland = Region(code: 1081, name: "Region Nordjylland", id: "nordjylland")
    /// Region Midtjylland (1082).
    public static let midtjylland = Region(code: 1082, name: "Region Midtjylland", id: "midtjylland")
    /// Region Syddanmark (1083).
    public static let syddanmark = Region(code: 1083, name: "Region Syddanmark", id: "syddanmark")
    /// Region Hovedstaden (1084), which includes Bornholm.
    public static let hovedstaden = Region(code: 1084, name: "Region Hovedstaden", id: "hovedstaden")
    /// Region Sjælland (1085).
    public static let sjaelland = Region(code: 1085, name: "Region Sjælland", id: "sjaelland")
}
