/// One of Denmark's 98 municipalities (kommuner).
///
/// Christiansø (code 411) appears in some Danmarks Statistik classifications but is administered
/// by the state, not a municipality, so it has no value of this type.
public struct Municipality: Sendable, Hashable, Identifiable {
    /// The official three-digit municipality code (kommunekode), e.g. 101 for København.
    /// DAGI and DAWA print it zero-padded to four digits ("0101"); `Int("0101")` parses that.
    public let code: Int
    /// The official Danish name as Danmarks Statistik spells it, e.g. "Høje-Taastrup", "Aabenraa".
    public let name: String
    /// The code of the region the municipality belongs to, 1081–1085.
    public let regionCode: Int

    /// The municipality code, which is the identity Danish registers use.
    public var id: Int { code }

    /// The region the municipality belongs to.
    public var region: Region {
        // Safe: the initializer is internal and `DenmarkTests` checks every entry's region code.
        Denmark.region(code: regionCode)!
    }

    // Internal because the set of municipalities is fixed by law; plugins look them up in `Denmark`
    // instead of making their own, which keeps `region` total.
    init(code: Int, name: String, regionCode: Int) {
        self.code = code
        self.name = name
        self.regionCode = regionCode
    }
}
