import COINominations
import Testing

@Suite struct CSVTests {
    @Test func plainFieldsAreWrittenAsIsWithCRLF() {
        #expect(CSV.record(["id", "title", "42"]) == "id,title,42\r\n")
        #expect(CSV.record(["æøå", ""]) == "æøå,\r\n")
    }

    @Test func specialFieldsAreQuotedAndQuotesDoubled() {
        #expect(CSV.field("a,b") == "\"a,b\"")
        #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.field("two\nlines") == "\"two\nlines\"")
        #expect(CSV.field("cr\r") == "\"cr\r\"")
        #expect(CSV.record(["x", "a \"b\", c"]) == "x,\"a \"\"b\"\", c\"\r\n")
    }
}
