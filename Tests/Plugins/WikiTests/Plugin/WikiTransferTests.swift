import COIHostTesting
import COIProto
import COIWire
import Foundation
import GRDB
import Testing
@testable import COIWiki

@Suite struct WikiTransferTests {
    func export(_ wiki: WikiFixture, _ title: String, token: String) async throws -> [Coi_Wiki_V1_ExportChunk] {
        try await wiki.stream(Coi_Wiki_V1_Pages.Method.export, Coi_Wiki_V1_ExportRequest.with { $0.title = title }, token: token)
    }

    func metadata(_ chunk: Coi_Wiki_V1_ExportChunk) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(chunk.metadataJson.utf8)) as? [String: Any])
    }

    @Test func exportThenImportRoundTripsTheFullHistory() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let bo = try await wiki.person("Bo")
        let admin = try await wiki.person("Admin", roles: ["admin"])
        let r1 = try await wiki.save("Case:Borgerbudget", "# Borgerbudget\n\nFørste udgave.\n", token: anna.token, summary: "Oprettet",
                                     fields: .with { $0.level = .municipality; $0.municipalityCode = 751; $0.sector = "democracy" })
        let r2 = try await wiki.save("Case:Borgerbudget", "# Borgerbudget\n\nAnden udgave, [[Aarhus]].\n", base: r1.revision.id, token: bo.token,
                                     summary: "Udvidet")
        _ = r2
        let chunks = try await export(wiki, "Case:Borgerbudget", token: anna.token)
        #expect(chunks.count == 3)
        #expect(try metadata(chunks[0])["revisions"] as? Int == 2)
        #expect(chunks[1].markdown == "# Borgerbudget\n\nFørste udgave.\n")
        #expect(try metadata(chunks[2])["author_name"] as? String == "Bo")

        // Importing needs wiki.import (admins); members are refused before anything is read.
        var upload = chunks
        upload[0].title = "Case:Borgerbudget (kopi)"
        let denied = await rpcError { _ = try await wiki.upload(Coi_Wiki_V1_Pages.Method.import, upload, token: anna.token) }
        #expect(denied?.code == .permissionDenied)
        let taken = await rpcError { _ = try await wiki.upload(Coi_Wiki_V1_Pages.Method.import, chunks, token: admin.token) }
        #expect(taken?.code == .alreadyExists)
        let imported = try await wiki.upload(Coi_Wiki_V1_Pages.Method.import, upload, token: admin.token)
        #expect(imported.title == "Case:Borgerbudget (kopi)")
        #expect(imported.caseFields.municipalityCode == 751)

        let again = try await export(wiki, "Case:Borgerbudget (kopi)", token: anna.token)
        #expect(again.count == chunks.count)
        for (original, copy) in zip(chunks.dropFirst(), again.dropFirst()) {
            #expect(copy.markdown == original.markdown)
            let a = try metadata(original), b = try metadata(copy)
            for key in ["author_id", "author_name", "created_at", "summary", "sha256", "size", "minor"] {
                #expect("\(a[key] ?? "")" == "\(b[key] ?? "")", "\(key)")
            }
            #expect(b["tags"] as? [String] == (a["tags"] as? [String] ?? []) + ["import"])
        }
        let cases = try await wiki.call(Coi_Wiki_V1_Discovery.Method.cases, Coi_Wiki_V1_ListCasesRequest.with { $0.municipalityCode = 751 },
                                        token: anna.token)
        #expect(cases.cases.count == 2)
    }

    @Test func importRejectsTamperedRevisions() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let admin = try await wiki.person("Admin", roles: ["admin"])
        try await wiki.save("Side", "original", token: anna.token)
        var chunks = try await export(wiki, "Side", token: anna.token)
        chunks[0].title = "Kopi"
        chunks[1].markdown = "changed"
        let error = await rpcError { _ = try await wiki.upload(Coi_Wiki_V1_Pages.Method.import, chunks, token: admin.token) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.fieldViolations.first?.field == "chunks[1].metadata_json.sha256")
        #expect(await rpcError { _ = try await wiki.get("Kopi", token: anna.token) }?.code == .notFound)
    }

    /// The plugin's export for an account, through JSON as the host embeds it.
    func personalData(_ wiki: WikiFixture, _ plugin: WikiPlugin, _ account: String) async throws -> [String: Any]? {
        let data = try await wiki.store.pool.read { db -> Data? in
            guard let value = try plugin.exportPersonalData(accountID: account, db: db) else { return nil }
            return try JSONSerialization.data(withJSONObject: value)
        }
        return try data.map { try JSONSerialization.jsonObject(with: $0) as? [String: Any] } ?? nil
    }

    @Test func personalDataExportAndErasure() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        try await wiki.save("Side", "tekst", token: anna.token)
        let plugin = WikiPlugin()
        let exported = try #require(try await personalData(wiki, plugin, anna.id))
        #expect((exported["contributions"] as? [[String: Any]])?.count == 1)
        #expect((exported["watchlist"] as? [[String: Any]])?.first?["title"] as? String == "Side")
        try await wiki.store.pool.write { db in try plugin.erasePersonalData(accountID: anna.id, db: db) }
        _ = try await wiki.call(Coi_Identity_V1_Accounts.Method.erase, Coi_Identity_V1_EraseAccountRequest.with { $0.id = anna.id })
        let history = try await wiki.call(Coi_Wiki_V1_Pages.Method.history, Coi_Wiki_V1_HistoryRequest.with { $0.title = "Side" },
                                          token: try await wiki.person("Bo").token)
        #expect(history.revisions.first?.authorName.hasPrefix("former contributor") == true)
        let after = try await personalData(wiki, plugin, anna.id)
        #expect((after?["watchlist"] as? [[String: Any]])?.isEmpty == true)
    }
}
