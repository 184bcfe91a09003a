import Testing
@testable import COIWiki

@Suite struct WikiMarkupTests {
    @Test func linksLabelsCategoriesAndCode() {
        let markup = WikiMarkup(parsing: """
            Se [[Aarhus Kommune]] og [[talk:Velfærd|diskussionen]], igen [[aarhus kommune#Historie|her]].
            [[Category:Sundhed]] [[kategori]] `[[Not a link]]`
            ```
            [[Also not]]
            ```
            [[Case:Borgerbudget i Aarhus]]
            """)
        #expect(markup.links.map(\.full) == ["Aarhus Kommune", "Talk:Velfærd", "Kategori", "Case:Borgerbudget i Aarhus"])
        #expect(markup.categories == ["Sundhed"])
        #expect(markup.redirect == nil)
    }

    @Test func redirect() {
        let markup = WikiMarkup(parsing: "#REDIRECT [[Ny side]]\n")
        #expect(markup.redirect?.full == "Ny side")
        #expect(WikiMarkup(parsing: "text\n#REDIRECT [[X]]").redirect == nil)
    }

    @Test func titlesNormalise() throws {
        #expect(try PageTitle(parsing: "  aarhus_kommune  ").full == "Aarhus kommune")
        #expect(try PageTitle(parsing: "TALK:  foo   bar").full == "Talk:Foo bar")
        #expect(try PageTitle(parsing: "case:x").namespace == .case)
        #expect(try PageTitle(parsing: "Århus").key == "århus")
        #expect(throws: (any Error).self) { try PageTitle(parsing: "") }
        #expect(throws: (any Error).self) { try PageTitle(parsing: "Talk:") }
        #expect(throws: (any Error).self) { try PageTitle(parsing: "a[b") }
    }
}
