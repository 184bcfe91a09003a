import COIHostTesting
import COIPluginKit
import COIProto
import COIWire
import Testing
@testable import COIWiki

@Suite struct WikiSaveTests {
    @Test func createEditHistoryAndNamedAuthors() async throws {
        let wiki = try await WikiFixture()
        let mette = try await wiki.person("Mette Hansen")
        let created = try await wiki.save("Borgerbudgetter", "# Borgerbudgetter\n\nSe [[Aarhus Kommune]].\n", token: mette.token, summary: "Ny side")
        #expect(created.revision.authorName == "Mette Hansen")
        #expect(created.revision.sha256 == ContentHash.sha256Hex("# Borgerbudgetter\n\nSe [[Aarhus Kommune]].\n"))
        #expect(created.page.links == ["Aarhus Kommune"])
        let edited = try await wiki.save("borgerbudgetter", "# Borgerbudgetter\n\nSe [[Aarhus Kommune]] og [[Odense]].\n",
                                         base: created.revision.id, token: mette.token)
        #expect(edited.revision.parentID == created.revision.id)
        #expect(!edited.merged)
        let history = try await wiki.call(Coi_Wiki_V1_Pages.Method.history, Coi_Wiki_V1_HistoryRequest.with { $0.title = "Borgerbudgetter"; $0.pageSize = 1 },
                                          token: mette.token)
        #expect(history.revisions.map(\.id) == [edited.revision.id])
        let next = try await wiki.call(Coi_Wiki_V1_Pages.Method.history, Coi_Wiki_V1_HistoryRequest.with {
            $0.title = "Borgerbudgetter"
            $0.pageToken = history.nextPageToken
        }, token: mette.token)
        #expect(next.revisions.map(\.id) == [created.revision.id])
        #expect(next.nextPageToken.isEmpty)
    }

    @Test func localAdminWithoutAccountCannotContribute() async throws {
        let wiki = try await WikiFixture()
        let error = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with { $0.title = "Page"; $0.text = "text" })
        }
        #expect(error?.code == .failedPrecondition)
        #expect(error?.reason == "ACCOUNT_REQUIRED")
    }

    @Test func staleBaseMergesCleanlyAndSaysSo() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let bo = try await wiki.person("Bo")
        let base = try await wiki.save("Plan", "one\ntwo\nthree\nfour\nfive\n", token: anna.token)
        let first = try await wiki.save("Plan", "ONE\ntwo\nthree\nfour\nfive\n", base: base.revision.id, token: anna.token)
        let second = try await wiki.save("Plan", "one\ntwo\nthree\nfour\nFIVE\n", base: base.revision.id, token: bo.token)
        #expect(second.merged)
        #expect(second.mergedWith == [first.revision.id])
        #expect(second.revision.tags == ["merged"])
        #expect(second.page.text == "ONE\ntwo\nthree\nfour\nFIVE\n")
    }

    @Test func realConflictIsAbortedWithHunksAndNothingSaved() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let bo = try await wiki.person("Bo")
        let base = try await wiki.save("Plan", "one\ntwo\nthree\n", token: anna.token)
        let first = try await wiki.save("Plan", "one\nTWO (Anna)\nthree\n", base: base.revision.id, token: anna.token)
        let error = await rpcError { try await wiki.save("Plan", "one\nTWO (Bo)\nthree\n", base: base.revision.id, token: bo.token) }
        #expect(error?.code == .aborted)
        #expect(error?.reason == "EDIT_CONFLICT")
        let hunk = try Coi_Wiki_V1_ConflictHunk(jsonString: try #require(error?.fieldViolations.first?.description))
        #expect(hunk.baseStart == 2)
        #expect(hunk.baseLines == ["two"])
        #expect(hunk.yourLines == ["TWO (Bo)"])
        #expect(hunk.theirLines == ["TWO (Anna)"])
        let page = try await wiki.get("Plan", token: anna.token)
        #expect(page.revision.id == first.revision.id)
    }

    @Test func existingPageNeedsABaseAndDeletedPagesRefuseEdits() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna", roles: ["member", "moderator"])
        let created = try await wiki.save("Plan", "x", token: anna.token)
        let noBase = await rpcError { try await wiki.save("Plan", "y", token: anna.token) }
        #expect(noBase?.code == .aborted)
        #expect(noBase?.reason == "PAGE_EXISTS")
        let other = try await wiki.save("Other", "z", token: anna.token)
        let wrongBase = await rpcError { try await wiki.save("Plan", "y", base: other.revision.id, token: anna.token) }
        #expect(wrongBase?.code == .invalidArgument)
        #expect(wrongBase?.fieldViolations.first?.field == "base_revision_id")
        let unknown = await rpcError { try await wiki.save("Plan", "y", base: "rev_nope", token: anna.token) }
        #expect(unknown?.code == .notFound)
        _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.delete, Coi_Wiki_V1_DeletePageRequest.with { $0.title = "Plan" }, token: anna.token)
        let deleted = await rpcError { try await wiki.save("Plan", "y", base: created.revision.id, token: anna.token) }
        #expect(deleted?.code == .failedPrecondition)
        #expect(deleted?.message.contains("deleted") == true)
        let badTitle = await rpcError { try await wiki.save("a|b", "y", token: anna.token) }
        #expect(badTitle?.code == .invalidArgument)
        #expect(badTitle?.fieldViolations.first?.field == "title")
    }

    @Test func sameTextMakesNoRevision() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let created = try await wiki.save("Plan", "same", token: anna.token)
        let again = try await wiki.save("Plan", "same", base: created.revision.id, token: anna.token)
        #expect(again.unchanged)
        #expect(again.revision.id == created.revision.id)
    }
}
