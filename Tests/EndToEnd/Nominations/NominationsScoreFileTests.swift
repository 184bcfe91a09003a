import COIProto
import COIWire
import Foundation
import Testing

/// A juror's score sheets from a spreadsheet, as Danish Excel saves it, through coictl.
@Suite struct NominationsScoreFileTests {
    @Test func danishExcelFilesAndErrorsWithLineAndColumn() async throws {
        let world = try await NominationsWorld.start()
        let cli = world.cli
        let campaign = try await cli.ok(["nominations", "campaigns", "create", "--kind", "idea", "--year", "2026", "--title", "Regneark"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try await world.setPhase(campaign, "open")
        let nominator = try await world.person("Nina Nord", workplace: "Aalborg Kommune", municipality: 851)
        let first = try await world.submit(campaign, token: nominator.token, nominees: ["Søren Sø"], workplace: "Aalborg Bibliotek",
                                           municipality: 851, title: "Lån en cykel")
        let second = try await world.submit(campaign, token: nominator.token, nominees: ["Åse Ø"], workplace: "KL",
                                            municipality: 101, title: "Færre møder")
        try await world.setPhase(campaign, "screening")
        try await cli.ok(["nominations", "screen", campaign, "eligible", first.id, second.id])
        try await cli.ok(["nominations", "screen", campaign, "shortlist", first.id, second.id])
        let juror = try await world.person("Jonna Jury", workplace: "KL", municipality: 101)
        try await cli.ok(["nominations", "jurors", "add", campaign, juror.id])
        try await world.setPhase(campaign, "jury")
        func file(_ name: String, _ text: String) throws -> String {
            let path = cli.daemon.directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        // Danish Excel: byte order mark, header row, semicolons, decimal commas, a quoted comment, CRLF.
        let danish = try file("ark.csv", "\u{FEFF}Nominering;Enkelhed;Værdi;Overførbarhed;Udførelse;Kommentar\r\n"
                              + "\(first.id);4;5,0;3;4;\"Enkel; billig\"\r\n;;;;;\r\n")
        #expect(try await cli.ok(["nominations", "score", campaign, "--file", danish], token: juror.token).contains("saved 1 sheet"))
        let sheets = try await cli.array(["nominations", "scores", campaign], token: juror.token)
        #expect(sheets.count == 1 && sheets.first?["comment"] as? String == "Enkel; billig")
        #expect((sheets.first?["scores"] as? [Int]) == [4, 5, 3, 4])

        // A bad score: the line and column (also as the spreadsheet's letter), and nothing saved.
        let bad = try file("fejl.csv", "Nominering;Enkelhed;Værdi;Overførbarhed;Udførelse\n\(first.id);1;1;1;1\n\(second.id);4;4,5;3;4\n")
        let refused = try await cli.run(["nominations", "score", campaign, "--file", bad], token: juror.token)
        #expect(refused.status == 65 && refused.stderr.contains("fejl.csv, line 3, column 3 (C): 4,5 is not a whole number"))
        #expect(!refused.stderr.contains("Usage"))
        #expect(try await cli.array(["nominations", "scores", campaign], token: juror.token).first?["scores"] as? [Int] == [4, 5, 3, 4])
        // The same as JSON on stderr with --json.
        let json = try await cli.run(["nominations", "score", campaign, "--file", bad, "--json"], token: juror.token)
        let object = try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any]
        #expect(json.status == 65 && object?["code"] as? String == "INVALID_FILE")

        // What the server refuses is traced back to the file's line: Jonna works at KL, like the second nominee.
        let recused = try file("inhabil.csv", "\(first.id),4,4,4,4\n\(second.id),4,4,4,4\n")
        try await cli.rejected(["nominations", "score", campaign, "--file", recused], "FAILED_PRECONDITION",
                               mentions: ["sheets[1] (line 2)", "recused"], token: juror.token)

        // Wrong use shows both forms of the command.
        let usage = try await cli.run(["nominations", "score", campaign], token: juror.token)
        #expect(usage.status == 64 && usage.stderr.contains("coictl nominations score <campaign> --file <path>")
                && usage.stderr.contains("<nomination> --scores"))
        let badScores = try await cli.run(["nominations", "score", campaign, first.id, "--scores", "4,x,4,4"], token: juror.token)
        #expect(badScores.status == 64 && badScores.stderr.contains("score 2 \"x\"") && badScores.stderr.contains("coictl nominations score <campaign> --file"))
        await world.stop()
    }
}
