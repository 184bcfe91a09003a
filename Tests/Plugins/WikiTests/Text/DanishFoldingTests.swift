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
        #expect(DanishFolding.matchExpression("Århus kommune") == "\"aarhus\" \"kommune\"")
        #expect(DanishFolding.matchExpression("velfærd*") == "\"velfaerd\" *")
        #expect(DanishFolding.matchExpression("\" OR NEAR( -") == "\"or\" \"near\"")
        #expect(DanishFolding.matchExpression("  ,.; ") == nil)
        #expect(DanishFolding.matchExpression("Århus klima*") { _ in ["klima", "klimaplan"] } == "\"aarhus\" (\"klima\" OR \"klimaplan\")")
    }

    @Test func snippetsShowTheOriginalTextWithMatchesMarked() {
        let snippet = Snippet.make("Projektet i Aarhus viste, at borgere i Århus Kommune deltog.", words: DanishFolding.queryWords("århus"))
        #expect(snippet.contains("«Aarhus»"))
        #expect(snippet.contains("«Århus»"))
        #expect(Snippet.make("Velfærdsteknologi", words: DanishFolding.queryWords("velfaerd*")) == "«Velfærdsteknologi»")
    }

    @Test func sha256KnownVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
