import COIHostTesting
import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB
import SwiftProtobuf
import Testing
@testable import COIWiki

/// Erasure leaves no name behind (issue 13 item 1): summaries coid writes (undo, rollback, restore)
/// refer to people by account and are rendered with the name as it reads now; what the erased
/// person wrote keeps its text but shows "former contributor N" as its author on every read path.
@Suite struct WikiErasureTests {
    @Test func anErasedPersonsNameIsOnNoReadPath() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna Andersen")
        let bo = try await wiki.person("Bo Nielsen")
        let moderator = try await wiki.person("Mona Moderator", roles: ["member", "moderator"])
        // Bo's run of edits on "Plan", rolled back; on "Side", undone and one of his revisions restored.
        let good = try await wiki.save("Plan", "god tekst", token: anna.token)
        let b1 = try await wiki.save("Plan", "Bo 1", base: good.revision.id, token: bo.token, summary: "mine egne ord")
        _ = try await wiki.save("Plan", "Bo 2", base: b1.revision.id, token: bo.token, summary: "flere egne ord")
        let rolled = try await wiki.call(Coi_Wiki_V1_Pages.Method.rollback, Coi_Wiki_V1_RollbackRequest.with {
            $0.title = "Plan"
            $0.authorID = bo.id
        }, token: moderator.token)
        // Rendered with the current name while Bo exists.
        #expect(rolled.revision.summary == "Rolled back 2 edits by Bo Nielsen to \(good.revision.id) by Anna Andersen")
        let s1 = try await wiki.save("Side", "a\nb\nc\n", token: anna.token)
        let s2 = try await wiki.save("Side", "a\nB\nc\n", base: s1.revision.id, token: bo.token)
        let undone = try await wiki.call(Coi_Wiki_V1_Pages.Method.undo, Coi_Wiki_V1_UndoRequest.with { $0.revisionID = s2.revision.id },
                                         token: anna.token)
        #expect(undone.revision.summary == "Undo revision \(s2.revision.id) by Bo Nielsen")
        let restored = try await wiki.call(Coi_Wiki_V1_Pages.Method.restore, Coi_Wiki_V1_RestoreRevisionRequest.with {
            $0.revisionID = s2.revision.id
        }, token: moderator.token)
        #expect(restored.revision.summary.hasPrefix("Restored revision \(s2.revision.id) by Bo Nielsen of "))
        // A summary written before references existed named him as text.
        let legacy = try await wiki.save("Side", "a\nb\nc\n", base: restored.revision.id, token: moderator.token)
        let legacyText = "Rolled back 1 edit by Bo Nielsen to \(s1.revision.id) by Anna Andersen"
        try await wiki.store.pool.write { db in
            try db.execute(sql: "UPDATE wiki_revisions SET summary = ?, tags = 'rollback' WHERE id = ?", arguments: [legacyText, legacy.revision.id])
            try db.execute(sql: "UPDATE wiki_changes SET summary = ?, tags = 'rollback' WHERE revision_seq = (SELECT seq FROM wiki_revisions WHERE id = ?)",
                           arguments: [legacyText, legacy.revision.id])
        }
        // Typed summaries cannot pose as generated ones.
        let posing = await rpcError {
            _ = try await wiki.save("Side", "x", base: legacy.revision.id, token: anna.token, summary: "hej {{account:\(moderator.id)}}")
        }
        #expect(posing?.code == .invalidArgument && posing?.fieldViolations.first?.field == "summary")

        _ = try await wiki.call(Coi_Identity_V1_Accounts.Method.erase, Coi_Identity_V1_EraseAccountRequest.with { $0.id = bo.id })

        var seen: [String] = []
        for title in ["Plan", "Side"] {
            let history = try await wiki.call(Coi_Wiki_V1_Pages.Method.history, Coi_Wiki_V1_HistoryRequest.with { $0.title = title },
                                              token: anna.token)
            seen += try history.revisions.map { try $0.jsonString() }
            for revision in history.revisions {
                let page = try await wiki.call(Coi_Wiki_V1_Pages.Method.get, Coi_Wiki_V1_GetPageRequest.with {
                    $0.title = title
                    $0.revisionID = revision.id
                }, token: anna.token)
                seen.append(try page.jsonString())
            }
            let chunks: [Coi_Wiki_V1_ExportChunk] = try await wiki.stream(Coi_Wiki_V1_Pages.Method.export,
                                                                          Coi_Wiki_V1_ExportRequest.with { $0.title = title }, token: anna.token)
            seen += chunks.map(\.metadataJson)
            let credits = try await wiki.call(Coi_Wiki_V1_Pages.Method.credits, Coi_Wiki_V1_CreditsRequest.with { $0.title = title },
                                              token: anna.token)
            seen.append(try credits.jsonString())
        }
        let diff = try await wiki.call(Coi_Wiki_V1_Pages.Method.diff, Coi_Wiki_V1_DiffRequest.with {
            $0.fromRevisionID = good.revision.id
            $0.toRevisionID = rolled.revision.id
        }, token: anna.token)
        seen.append(try diff.jsonString())
        let recent: [Coi_Wiki_V1_Change] = try await wiki.stream(Coi_Wiki_V1_Feeds.Method.recentChanges, Coi_Wiki_V1_FeedRequest(),
                                                                 token: anna.token)
        seen += try recent.map { try $0.jsonString() }
        let contributions = try await wiki.call(Coi_Wiki_V1_Discovery.Method.contributions, Coi_Wiki_V1_ContributionsRequest.with {
            $0.accountID = bo.id
        }, token: anna.token)
        seen.append(try contributions.jsonString())

        let everything = seen.joined(separator: "\n")
        #expect(!everything.contains("Bo Nielsen"), "the erased name is still shown")
        #expect(!everything.contains("{{account:"), "a reference was shown unrendered")
        // His own words stay, credited to the placeholder; the references render as it too.
        #expect(everything.contains("mine egne ord"))
        let placeholder = try #require(recent.first { $0.actorID == bo.id }?.actorName)
        #expect(placeholder.hasPrefix("former contributor"))
        #expect(everything.contains("Rolled back 2 edits by \(placeholder) to \(good.revision.id) by Anna Andersen"))
        #expect(everything.contains("Undo revision \(s2.revision.id) by \(placeholder)"))
        #expect(everything.contains("Rolled back 1 edit by \(placeholder) to \(s1.revision.id) by Anna Andersen"))
    }

    @Test func legacySummariesOnlyLoseTheNameWhereItStandsAlone() {
        let summary = "Rolled back 2 edits by Bo to rev_1 by Bo Nielsen"
        #expect(WikiPlugin.referencing("Bo", as: "acc_b", in: summary) == "Rolled back 2 edits by {{account:acc_b}} to rev_1 by Bo Nielsen")
        #expect(WikiPlugin.referencing("Bo Nielsen", as: "acc_n", in: summary) == "Rolled back 2 edits by Bo to rev_1 by {{account:acc_n}}")
        #expect(WikiPlugin.referencing("Bo", as: "acc_b", in: "Restored revision rev_1 by Bo of 2026") == "Restored revision rev_1 by {{account:acc_b}} of 2026")
    }
}
