@testable import COIPluginKit
import Foundation
import GRDB
import Testing

/// The kit's one Danish folding, as names, regions and the wiki's index use it.
@Suite struct DanishFoldingTests {
    @Test(arguments: ["Søren Sørensen", "SØREN SØRENSEN", "soeren soerensen", "Soren Sorensen", "søren  sørensen!"])
    func spellingsOfANameFoldAlike(spelling: String) {
        #expect(DanishFolding.fold(spelling) == "soren sorensen")
    }

    @Test func lettersAndSubstitutesMeet() {
        #expect(DanishFolding.fold("Ærø") == DanishFolding.fold("aeroe"))
        #expect(DanishFolding.fold("Århus") == DanishFolding.fold("Aarhus"))
        #expect(DanishFolding.fold("Region Sjælland") == "region sjaelland")
        #expect(DanishFolding.key("Høje-Taastrup") == DanishFolding.key("hoeje taastrup"))
        #expect(DanishFolding.words("Lyngby-Taarbæk") == ["lyngby", "tarbaek"])
    }

    /// `coi_fold` in SQL is the same function, on every connection of a Store, so a name search
    /// matches "SØRENSEN" and "soerensen" in a column holding "Søren Sørensen".
    @Test func theSQLFunctionFoldsTheSameOnEveryConnection() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fold-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(path: directory.appendingPathComponent("db.sqlite").path)
        try await store.pool.write { db in
            try db.execute(sql: "CREATE TABLE people (name TEXT)")
            try db.execute(sql: "INSERT INTO people VALUES ('Søren Sørensen'), ('Bo Nielsen')")
        }
        for query in ["SØRENSEN", "soerensen", "sorensen", "Søren Sø"] {
            let pattern = try #require(DanishFolding.containsPattern(query))
            let found = try await store.pool.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM people WHERE coi_fold(name) LIKE ?", arguments: [pattern])
            }
            #expect(found == ["Søren Sørensen"], "query \(query)")
        }
        #expect(DanishFolding.containsPattern(" ,; ") == nil)
    }
}

extension DanishFoldingTests {
    /// The byte-level path for ASCII and æøåäö folds exactly like the general one.
    @Test func theFastPathFoldsLikeTheGeneralOne() {
        let samples = Denmark.municipalities.map(\.name) + Denmark.regions.map(\.name) + [
            "Søren Sørensen", "SØREN SØRENSEN", "soeren  soerensen", "Ærø-Åberg", "ÆØÅ æøå ÄÖ äö", "Aarhus Kommune 2026",
            "Mette_Hansen (KL)", "aaa oee ooe", "Bo-Nielsen,Østergaard", "", " ,.; ",
        ]
        for text in samples {
            #expect(DanishFolding.asciiAndDanishWords(text) == DanishFolding.wordsByCharacter(text), "\(text)")
        }
        // Other letters take the general path and keep their accents for the tokenizer to remove.
        #expect(DanishFolding.asciiAndDanishWords("Café Ünal") == nil)
        #expect(DanishFolding.words("Café Ünal") == ["café", "ünal"])
    }
}
