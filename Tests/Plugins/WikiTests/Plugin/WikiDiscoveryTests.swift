import COIHostTesting
import COIPluginKit
import COIProto
import COIWire
import Testing
@testable import COIWiki

@Suite struct WikiDiscoveryTests {
    func search(_ wiki: WikiFixture, _ query: String, token: String) async throws -> [Coi_Wiki_V1_SearchHit] {
        try await wiki.call(Coi_Wiki_V1_Discovery.Method.search, Coi_Wiki_V1_SearchRequest.with { $0.query = query }, token: token).hits
    }

    @Test func danishSpellingsFindEachOther() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        try await wiki.save("Borgerinddragelse i Aarhus", "Aarhus Kommune inddrager borgerne i budgettet.", token: anna.token)
        try await wiki.save("Velfærd i København", "Københavns Kommune afprøver velfærdsteknologi på plejehjem.", token: anna.token)
        try await wiki.save("Ærø", "Øen Ærø arbejder med grøn omstilling og færger.", token: anna.token)
        #expect(try await search(wiki, "Århus", token: anna.token).map(\.title) == ["Borgerinddragelse i Aarhus"])
        #expect(try await search(wiki, "Koebenhavn", token: anna.token).map(\.title) == ["Velfærd i København"])
        #expect(try await search(wiki, "KØBENHAVNS", token: anna.token).map(\.title) == ["Velfærd i København"])
        #expect(try await search(wiki, "aeroe", token: anna.token).map(\.title) == ["Ærø"])
        #expect(try await search(wiki, "groen omstilling", token: anna.token).map(\.title) == ["Ærø"])
        #expect(try await search(wiki, "velfaerd*", token: anna.token).map(\.title) == ["Velfærd i København"])
        let hit = try #require(try await search(wiki, "koebenhavns", token: anna.token).first)
        #expect(hit.snippet.contains("«Københavns»"))
        #expect(try await search(wiki, "Odense", token: anna.token).isEmpty)
        let empty = await rpcError { _ = try await search(wiki, " .,", token: anna.token) }
        #expect(empty?.fieldViolations.first?.field == "query")
    }

    @Test func searchRanksTitlesAndFollowsEdits() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        try await wiki.save("Noget andet", "Her nævnes klimatilpasning en gang.", token: anna.token)
        let page = try await wiki.save("Klimatilpasning", "Om at tilpasse byen.", token: anna.token)
        #expect(try await search(wiki, "klimatilpasning", token: anna.token).map(\.title) == ["Klimatilpasning", "Noget andet"])
        try await wiki.save("Klimatilpasning", "Om skybrud.", base: page.revision.id, token: anna.token)
        #expect(try await search(wiki, "byen", token: anna.token).isEmpty)
        #expect(try await search(wiki, "skybrud", token: anna.token).map(\.title) == ["Klimatilpasning"])
    }

    @Test func rankWindowRanksOnlyTheNewestMatches() async throws {
        var config = TOMLTable()
        config["search_rank_window"] = .integer(2)
        let wiki = try await WikiFixture(config: config)
        let anna = try await wiki.person("Anna")
        try await wiki.save("Fællesskab", "Fællesskab fællesskab fællesskab.", token: anna.token)
        try await wiki.save("Nyere", "Et ord om fællesskab.", token: anna.token)
        try await wiki.save("Nyeste", "Også fællesskab her.", token: anna.token)
        // The oldest page ranks best, but only the two newest matches are ranked.
        #expect(Set(try await search(wiki, "faellesskab", token: anna.token).map(\.title)) == ["Nyere", "Nyeste"])
        let exact = try await WikiFixture()
        let bo = try await exact.person("Bo")
        try await exact.save("Fællesskab", "Fællesskab fællesskab fællesskab.", token: bo.token)
        try await exact.save("Nyere", "Et ord om fællesskab.", token: bo.token)
        #expect(try await search(exact, "faellesskab", token: bo.token).first?.title == "Fællesskab")
    }

    @Test func backlinksWantedOrphansAndCategories() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        try await wiki.save("A", "Se [[B]] og [[Mangler]]. [[Category:Sundhed]]", token: anna.token)
        try await wiki.save("B", "Tilbage til [[A|forsiden]].", token: anna.token)
        try await wiki.save("C", "Ingen linker hertil. [[category:sundhed]]", token: anna.token)
        let backlinks = try await wiki.call(Coi_Wiki_V1_Discovery.Method.backlinks, Coi_Wiki_V1_ListRequest.with { $0.title = "b" },
                                            token: anna.token)
        #expect(backlinks.pages.map(\.title) == ["A"])
        let wanted = try await wiki.call(Coi_Wiki_V1_Discovery.Method.wantedPages, Coi_Wiki_V1_ListRequest(),
                                         token: anna.token)
        #expect(wanted.pages.map(\.title) == ["Mangler"])
        let orphans = try await wiki.call(Coi_Wiki_V1_Discovery.Method.orphans, Coi_Wiki_V1_ListRequest(),
                                          token: anna.token)
        #expect(orphans.pages.map(\.title) == ["C"])
        let category = try await wiki.call(Coi_Wiki_V1_Discovery.Method.category, Coi_Wiki_V1_ListRequest.with { $0.title = "Sundhed"; $0.pageSize = 1 },
                                           token: anna.token)
        #expect(category.pages.map(\.title) == ["A"])
        #expect(!category.nextPageToken.isEmpty)
        // Creating the wanted page takes it off the list in the same save.
        try await wiki.save("Mangler", "Nu findes den.", token: anna.token)
        let after = try await wiki.call(Coi_Wiki_V1_Discovery.Method.wantedPages, Coi_Wiki_V1_ListRequest(),
                                        token: anna.token)
        #expect(after.pages.isEmpty)
    }

    @Test func casePagesByMunicipalityRegionAndSector() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let missing = await rpcError { try await wiki.save("Case:Uden felter", "x", token: anna.token) }
        #expect(missing?.fieldViolations.first?.field == "case_fields")
        let badCode = await rpcError {
            try await wiki.save("Case:Forkert", "x", token: anna.token, fields: .with { $0.level = .municipality; $0.municipalityCode = 999; $0.sector = "health" })
        }
        #expect(badCode?.fieldViolations.first?.field == "case_fields.municipality_code")
        let aarhus = try await wiki.save("Case:Sundhedshus i Aarhus", "Et sundhedshus.", token: anna.token, fields: .with {
            $0.level = .municipality
            $0.municipalityCode = 751
            $0.sector = " Health "
            $0.effect = "Færre indlæggelser"
        })
        #expect(aarhus.page.caseFields.regionCode == 1082)
        #expect(aarhus.page.caseFields.sector == "health")
        try await wiki.save("Case:Skole i København", "En skole.", token: anna.token, fields: .with {
            $0.level = .municipality
            $0.municipalityCode = 101
            $0.sector = "education"
        })
        try await wiki.save("Case:Nationalt register", "Staten.", token: anna.token, fields: .with { $0.level = .state; $0.sector = "health" })
        func cases(_ request: Coi_Wiki_V1_ListCasesRequest) async throws -> [String] {
            try await wiki.call(Coi_Wiki_V1_Discovery.Method.cases, request, token: anna.token).cases.map(\.title)
        }
        #expect(try await cases(.with { $0.municipalityCode = 751 }) == ["Case:Sundhedshus i Aarhus"])
        #expect(try await cases(.with { $0.regionCode = 1084 }) == ["Case:Skole i København"])
        #expect(try await cases(.with { $0.sector = "Health" }) == ["Case:Sundhedshus i Aarhus", "Case:Nationalt register"])
        #expect(try await cases(.with { $0.level = .state }) == ["Case:Nationalt register"])
        // An edit without fields keeps them; fields merge like text.
        let edited = try await wiki.save("Case:Sundhedshus i Aarhus", "Et større sundhedshus.", base: aarhus.revision.id, token: anna.token)
        #expect(edited.page.caseFields.effect == "Færre indlæggelser")
        var fields = edited.page.caseFields
        fields.effect = "Endnu færre"
        let stale = try await wiki.save("Case:Sundhedshus i Aarhus", "Et sundhedshus.", base: aarhus.revision.id, token: anna.token, fields: fields)
        #expect(stale.merged)
        #expect(stale.page.text == "Et større sundhedshus.")
        #expect(stale.page.caseFields.effect == "Endnu færre")
        let notCase = await rpcError { try await wiki.save("Almindelig", "x", token: anna.token, fields: fields) }
        #expect(notCase?.fieldViolations.first?.field == "case_fields")
    }
}
