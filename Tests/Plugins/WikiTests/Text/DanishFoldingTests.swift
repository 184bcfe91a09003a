import Testing
@testable import COIWiki

@Suite struct DanishFoldingTests {
    @Test func spellingsFoldAlike() {
        #expect(DanishFolding.fold("Århus") == DanishFolding.fold("Aarhus"))
        #expect(DanishFolding.fold("København") == DanishFolding.fold("Koebenhavn"))
        #expect(DanishFolding.fold("Ærø") == "aeroe")
        #expect(DanishFolding.fold("SØNDERBORG") == "soenderborg")
    }

    @Test func queriesAreQuotedAndFolded() {
        #expect(DanishFolding.matchExpression("Århus kommune") == "\"aarhus\" AND \"kommune\"")
        #expect(DanishFolding.matchExpression("velfærd*") == "\"velfaerd\" *")
        #expect(DanishFolding.matchExpression("\" OR NEAR( -") == "\"or\" AND \"near\"")
        #expect(DanishFolding.matchExpression("  ,.; ") == nil)
        #expect(DanishFolding.matchExpression("Århus klima*") { _ in ["klima", "klimaplan"] } == "\"aarhus\" AND (\"klima\" OR \"klimaplan\")")
    }

    @Test func snippetsShowTheOriginalTextWithMatchesMarked() {
        let snippet = Snippet.make("Projektet i Aarhus viste, at borgere i Århus Kommune deltog.", words: DanishFolding.queryWords("århus"))
        #expect(snippet.contains("«Aarhus»"))
        #expect(snippet.contains("«Århus»"))
        #expect(Snippet.make("Velfærdsteknologi", words: DanishFolding.queryWords("velfaerd*")) == "«Velfærdsteknologi»")
    }
}
