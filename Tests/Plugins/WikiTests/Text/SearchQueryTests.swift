import COIPluginKit
import Testing
@testable import COIWiki

@Suite struct SearchQueryTests {
    @Test func theIndexAndQueriesUseTheKitsFolding() {
        #expect(SearchQuery.fold("Århus") == SearchQuery.fold("Aarhus"))
        #expect(SearchQuery.fold("arhus") == SearchQuery.fold("Aarhus"))
        #expect(SearchQuery.fold("København") == SearchQuery.fold("Koebenhavn"))
        #expect(SearchQuery.fold("Ærø") == DanishFolding.key("Aeroe"))
        #expect(SearchQuery.fold("SØNDERBORG") == "sonderborg")
    }

    @Test func queriesAreQuotedAndFolded() {
        #expect(SearchQuery.matchExpression("Århus kommune") == "\"arhus\" AND \"kommune\"")
        #expect(SearchQuery.matchExpression("velfærd*") == "\"velfaerd\" *")
        #expect(SearchQuery.matchExpression("\" OR NEAR( -") == "\"or\" AND \"near\"")
        #expect(SearchQuery.matchExpression("  ,.; ") == nil)
        #expect(SearchQuery.matchExpression("Århus klima*") { _ in ["klima", "klimaplan"] } == "\"arhus\" AND (\"klima\" OR \"klimaplan\")")
    }

    @Test func snippetsShowTheOriginalTextWithMatchesMarked() {
        let snippet = Snippet.make("Projektet i Aarhus viste, at borgere i Århus Kommune deltog.", words: SearchQuery.queryWords("århus"))
        #expect(snippet.contains("«Aarhus»"))
        #expect(snippet.contains("«Århus»"))
        #expect(Snippet.make("Velfærdsteknologi", words: SearchQuery.queryWords("velfaerd*")) == "«Velfærdsteknologi»")
    }
}
