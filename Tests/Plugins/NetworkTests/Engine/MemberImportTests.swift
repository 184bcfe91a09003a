import COINetwork
import Foundation
import Testing

@Suite struct MemberImportTests {
    static let header = "ref,full_name,email,party,body,municipality_code,region_code,role,term_start,term_end,status,public_consent"
    static let parties: Set<String> = ["A", "V", "Ø", "Å", "Æ"]

    func parse(_ lines: [String]) throws(MemberImport.Problems) -> [MemberImport.Row] {
        try MemberImport.parse(Data(([Self.header] + lines).joined(separator: "\r\n").utf8), parties: Self.parties).rows
    }

    @Test func readsRowsWithDanishLettersAndQuotedFields() throws {
        let rows = try parse([
            "m1,Søren Ærø,soren@example.dk,ø,municipal_council,101,,mayor,2026-01-01,2029-12-31,active,yes",
            "m2,\"Hansen, Åse\",aase@example.dk,Å,regional_council,,1085,regional council chair,,,invited,no",
            "m3,Bo Ib,bo@example.dk,V,folketing,,,member,,,ceased,no",
        ])
        #expect(rows.count == 3)
        #expect(rows[0].seat.party == "Ø" && rows[0].seat.regionCode == 1084 && rows[0].seat.role == "mayor" && rows[0].publicConsent)
        #expect(rows[1].fullName == "Hansen, Åse" && rows[1].seat.role == "regional_council_chair" && rows[1].status == .invited)
        #expect(rows[2].seat.body == .folketing && rows[2].seat.regionCode == 0 && rows[2].status == .ceased)
    }

    @Test func reportsEveryProblemWithLineAndColumn() {
        do {
            _ = try parse([
                "m1,Anna,anna@example.dk,Q,municipal_council,101,,member,,,active,yes",
                "m2,Bo,not-an-email,A,senate,,,member,,,active,maybe",
                "m1,Cy,cy@example.dk,A,municipal_council,999,,member,,,active,no",
                "m4,Di,di@example.dk,A,regional_council,,1084,mayor,,,active,no",
                "too,few",
            ])
            Issue.record("the import was accepted")
        } catch {
            let texts = error.list.map(\.description)
            #expect(texts.contains { $0.hasPrefix("line 2, column 4 (party): unknown party \"Q\"") })
            #expect(texts.contains("line 3, column 3 (email): \"not-an-email\" is not an e-mail address"))
            #expect(texts.contains("line 3, column 12 (public_consent): must be yes or no, is \"maybe\""))
            #expect(texts.contains { $0.hasPrefix("line 3, column 5 (body):") })
            #expect(texts.contains("line 4, column 1 (ref): m1 is also on line 2"))
            #expect(texts.contains("line 4, column 6 (municipality_code): 999 is not one of the 98 official municipality codes"))
            #expect(texts.contains { $0.hasPrefix("line 5, column 8 (role): mayor is a role in a municipal council") })
            #expect(texts.contains("line 6: has 2 fields; the header has 12"))
        }
    }

    @Test func rejectsAWrongHeader() {
        do {
            _ = try MemberImport.parse(Data("ref,name,email\r\nx,y,z\r\n".utf8), parties: Self.parties)
            Issue.record("accepted")
        } catch {
            #expect(error.list.first?.description == "line 1, column 2 (name): unknown column \"name\"; the header is \(Self.header)")
        }
    }

    @Test func regionMustMatchTheMunicipality() {
        #expect(throws: MemberFields.Problem.self) {
            try MemberFields(party: "A", body: .municipalCouncil, municipalityCode: 101, regionCode: 1081, role: "", termStart: "", termEnd: "",
                             parties: Self.parties)
        }
        #expect(throws: MemberFields.Problem.self) {
            try MemberFields(party: "A", body: .folketing, municipalityCode: 0, regionCode: 1084, role: "", termStart: "2029-01-01",
                             termEnd: "2026-01-01", parties: Self.parties)
        }
    }
}
