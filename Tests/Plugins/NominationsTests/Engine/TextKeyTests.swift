import COINominations
import Testing

@Suite struct TextKeyTests {
    @Test func danishSpellingsFoldTogether() {
        #expect(TextKey.fold("Søren Ærø-Åberg") == TextKey.fold("soeren aeroe aaberg"))
        #expect(TextKey.fold("  Mette   HANSEN ") == "mette hansen")
        #expect(TextKey.nominee(name: "Søren Hansen", workplace: "Aarhus Rådhus") == TextKey.nominee(name: "soren hansen", workplace: "Århus radhus"))
    }

    @Test func titlesWithTheSameWordsInAnyOrderMatch() {
        #expect(TextKey.title("Bedre kaffe i kantinen") == TextKey.title("Kantinen: i bedre KAFFE!"))
        #expect(TextKey.title("Bedre kaffe i kantinen") != TextKey.title("Bedre te i kantinen"))
    }

    @Test func differentPeopleOrWorkplacesDoNotMatch() {
        #expect(TextKey.nominee(name: "Mette Hansen", workplace: "Odense Bibliotek") != TextKey.nominee(name: "Mette Hansen", workplace: "Vejle Bibliotek"))
        #expect(TextKey.nominee(name: "Mette Hansen", workplace: "Odense") != TextKey.nominee(name: "Mette Jensen", workplace: "Odense"))
    }
}
