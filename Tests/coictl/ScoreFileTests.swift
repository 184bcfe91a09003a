import COIWire
import Testing
@testable import coictl

/// `nominations score --file`: score sheets as jurors' spreadsheets save them.
struct ScoreFileTests {
    @Test func danishExcelSemicolonsDecimalCommasAndAHeader() throws {
        // What Danish Excel writes for "CSV UTF-8": a byte order mark, semicolons, decimal commas, CRLF.
        let text = "\u{FEFF}Nominering;Enkelhed;Værdi;Overførbarhed;Udførelse;Kommentar\r\n"
            + "nom_a;4;5,0;3;4;\"God; men dyr\"\r\n"
            + "nom_b;2;3;2,0;2;\r\n"
            + ";;;;;\r\n"
        let sheets = try ScoreFile.parse(text)
        #expect(sheets == [ScoreFile.Sheet(line: 2, nominationID: "nom_a", scores: [4, 5, 3, 4], comment: "God; men dyr"),
                           ScoreFile.Sheet(line: 3, nominationID: "nom_b", scores: [2, 3, 2, 2], comment: "")])
    }

    @Test func commasWithoutHeaderAsBefore() throws {
        let sheets = try ScoreFile.parse("nom_a,4,5\nnom_b, 3 , 2.0\n\n")
        #expect(sheets.map(\.scores) == [[4, 5], [3, 2]] && sheets.map(\.line) == [1, 2])
    }

    @Test func trailingEmptyColumnsOfASpreadsheetAreIgnored() throws {
        #expect(try ScoreFile.parse("nom_a;4;5;;;\n").first?.scores == [4, 5])
    }

    @Test func errorsNameLineAndColumn() {
        func problem(_ text: String) -> ScoreFile.Problem? {
            do {
                _ = try ScoreFile.parse(text)
                return nil
            } catch {
                return error as? ScoreFile.Problem
            }
        }
        #expect(problem("id;a;b\nnom_a;4;5\nnom_b;4;4,5\n") == ScoreFile.Problem(line: 3, column: 3,
                                                                               message: "4,5 is not a whole number; scores are 1, 2, 3, 4 or 5"))
        #expect(problem("nom_a,4,6\n")?.description == "line 1, column 3 (C): 6 is outside 1–5")
        #expect(problem("nom_a;4;x\n")?.column == 3)
        #expect(problem("nom_a;4;;5\n")?.message.contains("empty") == true)
        #expect(problem("Nominering;Enkelhed\nnm_1;4\n")?.description.hasPrefix("line 2, column 1 (A): \"nm_1\" is not a nomination id") == true)
        #expect(problem("nom_a;\"4\n")?.message.contains("not closed") == true)
        #expect(problem("")?.message == "the file holds no score sheets")
        #expect(problem("Nominering;Enkelhed\r\n")?.message == "the file holds a header but no score sheets")
        #expect(problem("nom_a\n")?.line == 1)
    }

    @Test func columnLetters() {
        #expect([1, 2, 26, 27, 52].map(ScoreFile.letter) == ["A", "B", "Z", "AA", "AZ"])
    }

    @Test func serverErrorsPointToTheFileLine() {
        let error = RPCError(.failedPrecondition, "sheets[1]: you are recused from nomination nom_b (same workplace)",
                             fieldViolations: [.init(field: "sheets[1].scores[2]", description: "must be 1–5")])
        let located = Nominations.Score.located(error, lines: [2, 5], offset: 0)
        #expect(located.message == "sheets[1] (line 5): you are recused from nomination nom_b (same workplace)")
        #expect(located.fieldViolations.first?.field == "sheets[1].scores[2] (line 5)")
    }

    @Test func versionBelongsToTheSubcommand() {
        #expect(GlobalArguments.asksForVersion(["--version"]))
        #expect(GlobalArguments.asksForVersion(["--version", "--json"]))
        #expect(!GlobalArguments.asksForVersion(["nominations", "edit", "nom_1", "--version", "1"]))
    }
}
