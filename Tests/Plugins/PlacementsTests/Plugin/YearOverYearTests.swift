import COIHostTesting
import COIProto
import Foundation
import Testing
@testable import COIPlacements

@Suite struct YearOverYearTests {
    static let yearColumns = ["season_id", "year", "week", "title", "phase", "offers", "places", "seekers", "approved", "placed",
                              "placed_in_offers", "exchanges", "fill_rate", "offers_change", "seekers_change", "placed_change", "fill_rate_change"]
    static let fillColumns = ["dimension", "key", "offers", "places", "placed", "fill_rate"]

    /// An export's records, header first (checked to be the table's).
    func csv(_ fixture: PlacementsFixture, _ request: Coi_Placements_V1_ExportRequest, token: String? = nil) async throws -> [[String]] {
        let chunks = try await fixture.bench.stream(Coi_Placements_V1_Seasons.Method.export, request, token: token)
        let text = String(decoding: chunks.reduce(Data()) { $0 + $1.data }, as: UTF8.self)
        let header = request.table == .years ? Self.yearColumns : Self.fillColumns
        return [header] + (try CSVTable(text, expected: header).records.map(\.fields))
    }

    @Test func seasonsAreComparedYearOverYearAndExportedAsCSV() async throws {
        let fixture = try await PlacementsFixture()
        let earlier = try await fixture.call(Coi_Placements_V1_Seasons.Method.create, .with {
            $0.year = 2026
            $0.week = 37
        })
        var small = ImportCSV()
        small.offers = """
            ref,title,host_workplace,level,municipality_code,capacity,days,contact_email
            O1,Digital borgerservice,Gladsaxe Kommune,kommune,159,1,3,vaert1@gladsaxe.dk

            """
        small.seekers = """
            ref,full_name,email,home_workplace,level,municipality_code,manager_email,manager_approval
            S1,Søren Ærø,soeren@aarhus.dk,Aarhus Kommune,municipal,751,leder@aarhus.dk,approved
            S2,Åse Øster,aase@odense.dk,Odense Kommune,municipal,461,leder@odense.dk,approved

            """
        small.preferences = "seeker_ref,rank,offer_ref\nS1,1,O1\nS2,1,O1\n"
        small.rankings = "offer_ref,rank,seeker_ref\nO1,1,S2\nO1,2,S1\n"
        try await fixture.importFiles(earlier.id, small)
        _ = try await fixture.call(Coi_Placements_V1_Matching.Method.match, .with { $0.seasonID = earlier.id })
        let later = try await fixture.season()
        try await fixture.importFiles(later.id, ImportCSV())
        _ = try await fixture.call(Coi_Placements_V1_Matching.Method.match, .with { $0.seasonID = later.id })

        let compared = try await fixture.call(Coi_Placements_V1_Seasons.Method.compare, .init())
        #expect(compared.seasons.map(\.year) == [2026, 2027])
        let (first, second) = (compared.seasons[0], compared.seasons[1])
        #expect(first.offers == 1 && first.places == 1 && first.seekers == 2 && first.placed == 1 && first.fillRate == 1)
        #expect(second.offers == 3 && second.places == 4 && second.seekers == 5 && second.placed == 3 && second.fillRate == 0.75)
        #expect(second.offersChange == 2 && second.seekersChange == 3 && second.placedChange == 2 && second.fillRateChange == -0.25)
        #expect(try await fixture.call(Coi_Placements_V1_Seasons.Method.compare, .with { $0.fromYear = 2027 }).seasons.map(\.seasonID)
                == [later.id])
        let backwards = await rpcError {
            _ = try await fixture.call(Coi_Placements_V1_Seasons.Method.compare, .with {
                $0.fromYear = 2027
                $0.toYear = 2026
            })
        }
        #expect(backwards?.fieldViolations.first?.field == "to_year")

        let years = try await csv(fixture, .with { $0.table = .years })
        #expect(years.first?.prefix(4) == ["season_id", "year", "week", "title"])
        #expect(years.dropFirst().map { [$0[1], $0[9], $0[12], $0[15]] } == [["2026", "1", "1.000", "0"], ["2027", "3", "0.750", "2"]])
        let fill = try await csv(fixture, .with {
            $0.seasonID = later.id
            $0.table = .fillRates
        })
        #expect(fill.first == ["dimension", "key", "offers", "places", "placed", "fill_rate"])
        #expect(fill.dropFirst().first == ["total", "", "3", "4", "3", "0.750"])
        #expect(fill.contains(["region", "hovedstaden", "3", "4", "3", "0.750"]))
        #expect(fill.contains(["level", "regional", "1", "2", "2", "1.000"]))

        // A coordinator of one season sees its report but not the comparison of all seasons.
        let coordinator = try await fixture.person("Cecilie Koordinator")
        _ = try await fixture.call(Coi_Identity_V1_Roles.Method.bind, .with {
            $0.accountID = coordinator.id
            $0.role = "placements.coordinator"
            $0.scope = "season:\(later.id)"
        } as Coi_Identity_V1_BindRoleRequest)
        #expect(try await csv(fixture, .with {
            $0.seasonID = later.id
            $0.table = .fillRates
        }, token: coordinator.token).count == fill.count)
        let denied = await rpcError { _ = try await fixture.call(Coi_Placements_V1_Seasons.Method.compare, .init(), token: coordinator.token) }
        #expect(denied?.code == .permissionDenied)
        let deniedCSV = await rpcError { _ = try await csv(fixture, .with { $0.table = .years }, token: coordinator.token) }
        #expect(deniedCSV?.code == .permissionDenied)
    }
}
