import COIHostTesting
import COIPluginKit
import COIProto
import COIWire
import Testing
@testable import COIWiki

/// Bad input is refused with the status, the field and the reason, and changes nothing.
@Suite struct WikiBadInputTests {
    @Test func listsAndLookupsNameTheField() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let page = try await wiki.save("Side", "tekst", token: anna.token)
        let size = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.history, Coi_Wiki_V1_HistoryRequest.with { $0.title = "Side"; $0.pageSize = 501 },
                                    token: anna.token)
        }
        #expect(size?.code == .invalidArgument && size?.fieldViolations.first?.field == "page_size")
        let token = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.history, Coi_Wiki_V1_HistoryRequest.with { $0.title = "Side"; $0.pageToken = "nonsense" },
                                    token: anna.token)
        }
        #expect(token?.fieldViolations.first?.field == "page_token")
        let unknownPage = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.history, Coi_Wiki_V1_HistoryRequest.with { $0.title = "Findes ikke" },
                                    token: anna.token)
        }
        #expect(unknownPage?.code == .notFound && unknownPage?.fieldViolations.first?.field == "title")
        let diff = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.diff, Coi_Wiki_V1_DiffRequest.with {
                $0.fromRevisionID = page.revision.id
                $0.toRevisionID = "rev_unknown"
            }, token: anna.token)
        }
        #expect(diff?.code == .notFound && diff?.fieldViolations.first?.field == "to_revision_id")
        let cases = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Discovery.Method.cases, Coi_Wiki_V1_ListCasesRequest.with { $0.municipalityCode = 1 },
                                    token: anna.token)
        }
        #expect(cases?.fieldViolations.first?.field == "municipality_code")
        let long = await rpcError { try await wiki.save("Side", "x", base: page.revision.id, token: anna.token,
                                                         summary: String(repeating: "a", count: 501)) }
        #expect(long?.fieldViolations.first?.field == "summary")
        let history = try await wiki.call(Coi_Wiki_V1_Pages.Method.history, Coi_Wiki_V1_HistoryRequest.with { $0.title = "Side" },
                                          token: anna.token)
        #expect(history.revisions.count == 1)
    }

    @Test func configRejectsUnknownKeysAndBadValues() throws {
        var table = TOMLTable()
        table["max_page_bytes"] = .integer(4096)
        #expect(try WikiSettings(config: PluginConfig(table: table, file: nil)).maxPageBytes == 4096)
        table["max_page_bytes"] = .string("big")
        #expect(throws: RPCError.self) { try WikiSettings(config: PluginConfig(table: table, file: nil)) }
        var typo = TOMLTable()
        typo["max_page_byte"] = .integer(4096)
        #expect(throws: RPCError.self) { try WikiSettings(config: PluginConfig(table: typo, file: nil)) }
    }
}
