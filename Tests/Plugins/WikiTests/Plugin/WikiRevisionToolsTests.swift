import COIHostTesting
import COIProto
import COIWire
import Testing
@testable import COIWiki

@Suite struct WikiRevisionToolsTests {
    @Test func undoOneRevisionKeepsLaterEdits() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let r1 = try await wiki.save("Plan", "a\nb\nc\nd\ne\n", token: anna.token)
        let r2 = try await wiki.save("Plan", "a\nB\nc\nd\ne\n", base: r1.revision.id, token: anna.token)
        let r3 = try await wiki.save("Plan", "a\nB\nc\nd\nE\n", base: r2.revision.id, token: anna.token)
        let undone = try await wiki.call(Coi_Wiki_V1_Pages.Method.undo, Coi_Wiki_V1_UndoRequest.with { $0.revisionID = r2.revision.id },
                                         token: anna.token)
        #expect(undone.page.text == "a\nb\nc\nd\nE\n")
        #expect(undone.revision.tags == ["undo"])
        #expect(undone.revision.parentID == r3.revision.id)
        let first = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.undo, Coi_Wiki_V1_UndoRequest.with { $0.revisionID = r1.revision.id },
                                    token: anna.token)
        }
        #expect(first?.code == .failedPrecondition)
    }

    @Test func undoThatConflictsIsAborted() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let r1 = try await wiki.save("Plan", "a\nb\nc\n", token: anna.token)
        let r2 = try await wiki.save("Plan", "a\nB\nc\n", base: r1.revision.id, token: anna.token)
        _ = try await wiki.save("Plan", "a\nBB\nc\n", base: r2.revision.id, token: anna.token)
        let error = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.undo, Coi_Wiki_V1_UndoRequest.with { $0.revisionID = r2.revision.id },
                                    token: anna.token)
        }
        #expect(error?.code == .aborted)
        #expect(error?.reason == "EDIT_CONFLICT")
    }

    @Test func rollbackRevertsTheLatestRunOfOneAuthor() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let vandal = try await wiki.person("Vandal")
        let moderator = try await wiki.person("Moderator", roles: ["member", "moderator"])
        let good = try await wiki.save("Plan", "good text", token: anna.token)
        let v1 = try await wiki.save("Plan", "bad 1", base: good.revision.id, token: vandal.token)
        _ = try await wiki.save("Plan", "bad 2", base: v1.revision.id, token: vandal.token)
        let wrong = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.rollback, Coi_Wiki_V1_RollbackRequest.with { $0.title = "Plan"; $0.authorID = anna.id },
                                    token: moderator.token)
        }
        #expect(wrong?.code == .failedPrecondition)
        let denied = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.rollback, Coi_Wiki_V1_RollbackRequest.with { $0.title = "Plan"; $0.authorID = vandal.id },
                                    token: anna.token)
        }
        #expect(denied?.code == .permissionDenied)
        let rolled = try await wiki.call(Coi_Wiki_V1_Pages.Method.rollback, Coi_Wiki_V1_RollbackRequest.with { $0.title = "Plan"; $0.authorID = vandal.id },
                                         token: moderator.token)
        #expect(rolled.page.text == "good text")
        #expect(rolled.revision.tags == ["rollback"])
        #expect(rolled.revision.authorName == "Moderator")
        #expect(rolled.revision.summary.contains("2 edits by Vandal"))
    }

    @Test func restoreAnOldRevisionAndDiffAnyTwo() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let r1 = try await wiki.save("Plan", "Det gamle ord\nstår her", token: anna.token)
        let r2 = try await wiki.save("Plan", "Det nye ord\nstår her", base: r1.revision.id, token: anna.token)
        let stale = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.restore, Coi_Wiki_V1_RestoreRevisionRequest.with {
                $0.revisionID = r1.revision.id
                $0.baseRevisionID = r1.revision.id
            }, token: anna.token)
        }
        #expect(stale?.code == .aborted)
        let restored = try await wiki.call(Coi_Wiki_V1_Pages.Method.restore, Coi_Wiki_V1_RestoreRevisionRequest.with {
            $0.revisionID = r1.revision.id
            $0.baseRevisionID = r2.revision.id
        }, token: anna.token)
        #expect(restored.page.text == "Det gamle ord\nstår her")
        #expect(restored.revision.tags == ["restore"])
        let diff = try await wiki.call(Coi_Wiki_V1_Pages.Method.diff, Coi_Wiki_V1_DiffRequest.with {
            $0.fromRevisionID = r1.revision.id
            $0.toRevisionID = r2.revision.id
        }, token: anna.token)
        #expect(diff.hunks.count == 1)
        #expect(diff.hunks[0].lines.map(\.op) == [.delete, .insert, .equal])
        #expect(diff.hunks[0].words.contains { $0.op == .delete && $0.text == "gamle" })
        #expect(diff.hunks[0].words.contains { $0.op == .insert && $0.text == "nye" })
    }

    @Test func creditsAndContributions() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let bo = try await wiki.person("Bo")
        let r1 = try await wiki.save("Plan", "1", token: anna.token)
        let r2 = try await wiki.save("Plan", "2", base: r1.revision.id, token: bo.token)
        _ = try await wiki.save("Plan", "3", base: r2.revision.id, token: anna.token)
        let credits = try await wiki.call(Coi_Wiki_V1_Pages.Method.credits, Coi_Wiki_V1_CreditsRequest.with { $0.title = "Plan" },
                                          token: bo.token)
        #expect(credits.credits.map(\.authorName) == ["Anna", "Bo"])
        #expect(credits.credits.map(\.revisions) == [2, 1])
        let contributions = try await wiki.call(Coi_Wiki_V1_Discovery.Method.contributions, Coi_Wiki_V1_ContributionsRequest.with { $0.accountID = anna.id },
                                                token: bo.token)
        #expect(contributions.revisions.count == 2)
        let mine = try await wiki.call(Coi_Wiki_V1_Discovery.Method.contributions, Coi_Wiki_V1_ContributionsRequest(),
                                       token: bo.token)
        #expect(mine.revisions.map(\.id) == [r2.revision.id])
    }

    /// Issue 13 item 13: newest first by time, also when revisions were stored out of time order
    /// (an import stores old revisions after today's), and pages follow that order.
    @Test func contributionsAreOrderedByTime() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let old = try await wiki.save("Gammel", "importeret", token: anna.token)
        let new = try await wiki.save("Ny", "i dag", token: anna.token)
        let middle = try await wiki.save("Midt", "i går", token: anna.token)
        try await wiki.store.pool.write { db in
            try db.execute(sql: "UPDATE wiki_revisions SET created_at = ? WHERE id = ?", arguments: ["2001-01-01T00:00:00.000000Z", old.revision.id])
            try db.execute(sql: "UPDATE wiki_revisions SET created_at = ? WHERE id = ?", arguments: ["2020-01-01T00:00:00.000000Z", middle.revision.id])
        }
        let all = try await wiki.call(Coi_Wiki_V1_Discovery.Method.contributions, Coi_Wiki_V1_ContributionsRequest(), token: anna.token)
        #expect(all.revisions.map(\.id) == [new.revision.id, middle.revision.id, old.revision.id])
        var paged: [String] = []
        var token = ""
        repeat {
            let page = try await wiki.call(Coi_Wiki_V1_Discovery.Method.contributions, Coi_Wiki_V1_ContributionsRequest.with {
                $0.pageSize = 1
                $0.pageToken = token
            }, token: anna.token)
            paged += page.revisions.map(\.id)
            token = page.nextPageToken
        } while !token.isEmpty && paged.count < 10
        #expect(paged == all.revisions.map(\.id))
    }
}
