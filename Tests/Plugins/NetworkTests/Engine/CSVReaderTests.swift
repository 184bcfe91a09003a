import COINetwork
import Testing

@Suite struct CSVReaderTests {
    @Test func readsQuotesNewlinesAndLineNumbers() throws {
        let records = try CSVReader.records("\u{FEFF}a,b\r\n\"x, y\",\"two\nlines\"\n\n\"say \"\"hej\"\"\",z")
        #expect(records.map(\.fields) == [["a", "b"], ["x, y", "two\nlines"], ["say \"hej\"", "z"]])
        #expect(records.map(\.line) == [1, 2, 5])
    }

    @Test func namesTheLineOfAnOpenQuote() {
        #expect(throws: CSVReader.Failure(line: 2, message: "a quoted field is never closed")) {
            try CSVReader.records("a\n\"open,b\n")
        }
    }

    @Test func writesRFC4180() {
        #expect(CSV.record(["Ø", "a,b", "say \"hej\""]) == "Ø,\"a,b\",\"say \"\"hej\"\"\"\r\n")
    }
}
