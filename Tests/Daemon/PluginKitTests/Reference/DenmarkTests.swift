import Testing
@testable import COIPluginKit

@Suite struct DenmarkTests {
    @Test func hasFiveRegionsSortedByCode() {
        #expect(Denmark.regions.map(\.code) == [1081, 1082, 1083, 1084, 1085])
        #expect(Denmark.regions.map(\.id) == ["nordjylland", "midtjylland", "syddanmark", "hovedstaden", "sjaelland"])
        #expect(Denmark.regions.map(\.name) == [
            "Region Nordjylland", "Region Midtjylland", "Region Syddanmark", "Region Hovedstaden", "Region Sjælland",
        ])
    }

    @Test func hasNinetyEightMunicipalitiesSortedByCode() {
        let codes = Denmark.municipalities.map(\.code)
        #expect(codes.count == 98)
        #expect(codes == codes.sorted())
        #expect(codes.allSatisfy { (101...999).contains($0) })
    }

    @Test func codesNamesAndNameKeysAreUnique() {
        #expect(Set(Denmark.municipalities.map(\.code)).count == 98)
        #expect(Set(Denmark.municipalities.map(\.name)).count == 98)
        // Lookup by name depends on no two official names folding to the same key.
        #expect(Set(Denmark.municipalities.map { Denmark.foldedName($0.name) }).count == 98)
    }

    @Test func everyMunicipalityHasAKnownRegion() {
        for municipality in Denmark.municipalities {
            #expect(Denmark.region(code: municipality.regionCode) != nil, "\(municipality.code) \(municipality.name)")
        }
    }

    @Test(arguments: [
        ("hovedstaden", 29), ("sjaelland", 17), ("syddanmark", 22), ("midtjylland", 19), ("nordjylland", 11),
    ])
    func regionHasExpectedNumberOfMunicipalities(id: String, count: Int) throws {
        let region = try #require(Denmark.region(id: id))
        let members = Denmark.municipalities(in: region)
        #expect(members.count == count)
        #expect(members.allSatisfy { $0.region == region })
    }

    @Test(arguments: [
        (101, "København", 1084), (147, "Frederiksberg", 1084), (400, "Bornholm", 1084), (260, "Halsnæs", 1084),
        (306, "Odsherred", 1085), (461, "Odense", 1083), (563, "Fanø", 1083), (751, "Aarhus", 1082),
        (741, "Samsø", 1082), (779, "Skive", 1082), (773, "Morsø", 1081), (825, "Læsø", 1081), (851, "Aalborg", 1081),
    ])
    func spotCheck(code: Int, name: String, regionCode: Int) throws {
        let municipality = try #require(Denmark.municipality(code: code))
        #expect(municipality.name == name)
        #expect(municipality.id == code)
        #expect(municipality.regionCode == regionCode)
        #expect(municipality.region.code == regionCode)
    }

    @Test func officialNamesUseDanishLettersAndOfficialSpellings() {
        for name in ["Høje-Taastrup", "Lyngby-Taarbæk", "Ringkøbing-Skjern", "Aabenraa", "Faaborg-Midtfyn",
                     "Haderslev", "Ærø", "Tårnby"] {
            #expect(Denmark.municipality(named: name)?.name == name)
        }
    }

    @Test(arguments: [
        ("aarhus", 751), ("AARHUS", 751), ("Århus", 751), ("arhus", 751),
        ("København", 101), ("Koebenhavn", 101), ("kobenhavn", 101), ("KØBENHAVN", 101),
        ("Aabenraa", 580), ("Åbenrå", 580),
        ("Lyngby-Taarbæk", 173), ("lyngby taarbaek", 173), ("Hoeje-Taastrup", 169), ("høje tåstrup", 169),
        ("Ringkobing-Skjern", 760), ("Aeroe", 492), ("aerø", 492), ("Laesoe", 825), ("Tarnby", 185),
    ])
    func lookupByNameAcceptsAlternateSpellings(name: String, code: Int) {
        #expect(Denmark.municipality(named: name)?.code == code)
    }

    @Test func unknownInputGivesNil() {
        #expect(Denmark.municipality(code: 411) == nil, "Christiansø is not a municipality")
        #expect(Denmark.municipality(code: 0) == nil)
        #expect(Denmark.municipality(code: 999) == nil)
        #expect(Denmark.municipality(named: "Christiansø") == nil)
        #expect(Denmark.municipality(named: "Oslo") == nil)
        #expect(Denmark.municipality(named: "") == nil)
        #expect(Denmark.region(code: 1080) == nil)
        #expect(Denmark.region(id: "Hovedstaden") == nil)
        #expect(Denmark.region(id: "nordsjaelland") == nil)
    }

    @Test func regionLookupsAgree() {
        for region in Denmark.regions {
            #expect(Denmark.region(code: region.code) == region)
            #expect(Denmark.region(id: region.id) == region)
        }
    }
}
