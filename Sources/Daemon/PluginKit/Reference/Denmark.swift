/// Denmark's administrative reference data: the 5 regions and 98 municipalities of the 2007 reform.
///
/// Codes and names follow Danmarks Statistik's classification "Regioner, landsdele og kommuner"
/// (the same codes DAGI and DAWA use). The data is compiled in rather than fetched so that every
/// plugin sees the same answer offline and at startup; the division has been stable since 2007.
public enum Denmark {
    /// The five regions, sorted by code.
    public static let regions: [Region] = [
        .nordjylland, .midtjylland, .syddanmark, .hovedstaden, .sjaelland,
    ]

    /// The 98 municipalities, sorted by code.
    public static let municipalities: [Municipality] = [
        Municipality(code: 101, name: "København", regionCode: 1084),
        Municipality(code: 147, name: "Frederiksberg", regionCode: 1084),
        Municipality(code: 151, name: "Ballerup", regionCode: 1084),
        Municipality(code: 153, name: "Brøndby", regionCode: 1084),
        Municipality(code: 155, name: "Dragør", regionCode: 1084),
        Municipality(code: 157, name: "Gentofte", regionCode: 1084),
        Municipality(code: 159, name: "Gladsaxe", regionCode: 1084),
        Municipality(code: 161, name: "Glostrup", regionCode: 1084),
        Municipality(code: 163, name: "Herlev", regionCode: 1084),
        Municipality(code: 165, name: "Albertslund", regionCode: 1084),
        Municipality(code: 167, name: "Hvidovre", regionCode: 1084),
        Municipality(code: 169, name: "Høje-Taastrup", regionCode: 1084),
        Municipality(code: 173, name: "Lyngby-Taarbæk", regionCode: 1084),
        Municipality(code: 175, name: "Rødovre", regionCode: 1084),
        Municipality(code: 183, name: "Ishøj", regionCode: 1084),
        Municipality(code: 185, name: "Tårnby", regionCode: 1084),
        Municipality(code: 187, name: "Vallensbæk", regionCode: 1084),
        Municipality(code: 190, name: "Furesø", regionCode: 1084),
        Municipality(code: 201, name: "Allerød", regionCode: 1084),
        Municipality(code: 210, name: "Fredensborg", regionCode: 1084),
        Municipality(code: 217, name: "Helsingør", regionCode: 1084),
        Municipality(code: 219, name: "Hillerød", regionCode: 1084),
        Municipality(code: 223, name: "Hørsholm", regionCode: 1084),
        Municipality(code: 230, name: "Rudersdal", regionCode: 1084),
        Municipality(code: 240, name: "Egedal", regionCode: 1084),
        Municipality(code: 250, name: "Frederikssund", regionCode: 1084),
        Municipality(code: 253, name: "Greve", regionCode: 1085),
        Municipality(code: 259, name: "Køge", regionCode: 1085),
        Municipality(code: 260, name: "Halsnæs", regionCode: 1084),
        Municipality(code: 265, name: "Roskilde", regionCode: 1085),
        Municipality(code: 269, name: "Solrød", regionCode: 1085),
        Municipality(code: 270, name: "Gribskov", regionCode: 1084),
        Municipality(code: 306, name: "Odsherred", regionCode: 1085),
        Municipality(code: 316, name: "Holbæk", regionCode: 1085),
        Municipality(code: 320, name: "Faxe", regionCode: 1085),
        Municipality(code: 326, name: "Kalundborg", regionCode: 1085),
        Municipality(code: 329, name: "Ringsted", regionCode: 1085),
        Municipality(code: 330, name: "Slagelse", regionCode: 1085),
        Municipality(code: 336, name: "Stevns", regionCode: 1085),
        Municipality(code: 340, name: "Sorø", regionCode: 1085),
        Municipality(code: 350, name: "Lejre", regionCode: 1085),
        Municipality(code: 360, name: "Lolland", regionCode: 1085),
        Municipality(code: 370, name: "Næstved", regionCode: 1085),
        Municipality(code: 376, name: "Guldborgsund", regionCode: 1085),
        Municipality(code: 390, name: "Vordingborg", regionCode: 1085),
        Municipality(code: 400, name: "Bornholm", regionCode: 1084),
        Municipality(code: 410, name: "Middelfart", regionCode: 1083),
        Municipality(code: 420, name: "Assens", regionCode: 1083),
        Municipality(code: 430, name: "Faaborg-Midtfyn", regionCode: 1083),
        Municipality(code: 440, name: "Kerteminde", regionCode: 1083),
        Municipality(code: 450, name: "Nyborg", regionCode: 1083),
        Municipality(code: 461, name: "Odense", regionCode: 1083),
        Municipality(code: 479, name: "Svendborg", regionCode: 1083),
        Municipality(code: 480, name: "Nordfyns", regionCode: 1083),
        Municipality(code: 482, name: "Langeland", regionCode: 1083),
        Municipality(code: 492, name: "Ærø", regionCode: 1083),
        Municipality(code: 510, name: "Haderslev", regionCode: 1083),
        Municipality(code: 530, name: "Billund", regionCode: 1083),
        Municipality(code: 540, name: "Sønderborg", regionCode: 1083),
        Municipality(code: 550, name: "Tønder", regionCode: 1083),
        Municipality(code: 561, name: "Esbjerg", regionCode: 1083),
        Municipality(code: 563, name: "Fanø", regionCode: 1083),
        Municipality(code: 573, name: "Varde", regionCode: 1083),
        Municipality(code: 575, name: "Vejen", regionCode: 1083),
        Municipality(code: 580, name: "Aabenraa", regionCode: 1083),
        Municipality(code: 607, name: "Fredericia", regionCode: 1083),
        Municipality(code: 615, name: "Horsens", regionCode: 1082),
        Municipality(code: 621, name: "Kolding", regionCode: 1083),
        Municipality(code: 630, name: "Vejle", regionCode: 1083),
        Municipality(code: 657, name: "Herning", regionCode: 1082),
        Municipality(code: 661, name: "Holstebro", regionCode: 1082),
        Municipality(code: 665, name: "Lemvig", regionCode: 1082),
        Municipality(code: 671, name: "Struer", regionCode: 1082),
        Municipality(code: 706, name: "Syddjurs", regionCode: 1082),
        Municipality(code: 707, name: "Norddjurs", regionCode: 1082),
        Municipality(code: 710, name: "Favrskov", regionCode: 1082),
        Municipality(code: 727, name: "Odder", regionCode: 1082),
        Municipality(code: 730, name: "Randers", regionCode: 1082),
        Municipality(code: 740, name: "Silkeborg", regionCode: 1082),
        Municipality(code: 741, name: "Samsø", regionCode: 1082),
        Municipality(code: 746, name: "Skanderborg", regionCode: 1082),
        Municipality(code: 751, name: "Aarhus", regionCode: 1082),
        Municipality(code: 756, name: "Ikast-Brande", regionCode: 1082),
        Municipality(code: 760, name: "Ringkøbing-Skjern", regionCode: 1082),
        Municipality(code: 766, name: "Hedensted", regionCode: 1082),
        Municipality(code: 773, name: "Morsø", regionCode: 1081),
        Municipality(code: 779, name: "Skive", regionCode: 1082),
        Municipality(code: 787, name: "Thisted", regionCode: 1081),
        Municipality(code: 791, name: "Viborg", regionCode: 1082),
        Municipality(code: 810, name: "Brønderslev", regionCode: 1081),
        Municipality(code: 813, name: "Frederikshavn", regionCode: 1081),
        Municipality(code: 820, name: "Vesthimmerlands", regionCode: 1081),
        Municipality(code: 825, name: "Læsø", regionCode: 1081),
        Municipality(code: 840, name: "Rebild", regionCode: 1081),
        Municipality(code: 846, name: "Mariagerfjord", regionCode: 1081),
        Municipality(code: 849, name: "Jammerbugt", regionCode: 1081),
        Municipality(code: 851, name: "Aalborg", regionCode: 1081),
        Municipality(code: 860, name: "Hjørring", regionCode: 1081),
    ]

    /// Finds a region by its official code.
    /// - Parameter code: A region code such as 1084.
    /// - Returns: The region, or nil when no region has that code.
    public static func region(code: Int) -> Region? {
        regions.first { $0.code == code }
    }

    /// Finds a region by its slug.
    /// - Parameter id: A slug such as "hovedstaden"; matched exactly, since slugs are identifiers, not names.
    /// - Returns: The region, or nil when no region has that slug.
    public static func region(id: String) -> Region? {
        regions.first { $0.id == id }
    }

    /// Finds a municipality by its official code.
    /// - Parameter code: A kommunekode such as 101; codes outside the 98 (e.g. 411 Christiansø) give nil.
    /// - Returns: The municipality, or nil when no municipality has that code.
    public static func municipality(code: Int) -> Municipality? {
        byCode[code]
    }

    /// Finds a municipality by name, the way people and older data sources actually write it.
    ///
    /// The match ignores case, spaces and hyphens, and treats the Danish letters and their
    /// substitutes as equal: å/aa/a, ø/oe/o/ö, æ/ae/ä. So "Aabenraa", "Åbenrå", "AARHUS", "Århus",
    /// "Koebenhavn" and "kobenhavn" all resolve.
    /// - Parameter name: A municipality name, e.g. "Lyngby-Taarbæk" or "lyngby taarbaek".
    /// - Returns: The municipality, or nil when no name matches.
    public static func municipality(named name: String) -> Municipality? {
        byFoldedName[foldedName(name)]
    }

    /// Lists the municipalities in a region.
    /// - Parameter region: The region.
    /// - Returns: Its municipalities, sorted by code.
    public static func municipalities(in region: Region) -> [Municipality] {
        municipalities.filter { $0.regionCode == region.code }
    }

    private static let byCode: [Int: Municipality] =
        Dictionary(uniqueKeysWithValues: municipalities.map { ($0.code, $0) })

    private static let byFoldedName: [String: Municipality] =
        Dictionary(uniqueKeysWithValues: municipalities.map { (foldedName($0.name), $0) })

    /// Reduces a name to a key that is equal for all common spellings of it: the kit's one Danish
    /// folding (`DanishFolding.key`), so "Lyngby-Taarbæk", "lyngby taarbaek" and "Lyngby Tårbæk"
    /// meet. No two of the 98 official names share a key; `DenmarkTests` checks that.
    /// - Parameter name: Any spelling of a name.
    /// - Returns: The lowercase key.
    static func foldedName(_ name: String) -> String { DanishFolding.key(name) }
}
