import COIHostTesting
import COIPluginKit
import COIProto
import Foundation
import Testing
@testable import COINetwork

@Suite struct NetworkTasksTests {
    @Test func publishedOnceMembersOfThreePartiesEndorse() async throws {
        let net = try await NetworkFixture()
        try await net.importRows(NetworkFixture.rows(5, parties: ["A", "A", "V", "Ø", "C"]))
        var tokens: [String] = []
        for member in try await net.members().sorted(by: { $0.ref < $1.ref }) { tokens.append(try await net.token(for: member)) }
        let outsider = try await net.bench.person("Ikke Medlem")
        let notMember = await rpcError {
            _ = try await net.call(Coi_Network_V1_Tasks.Method.draft, .with { $0.title = "T"; $0.statement = "S" }, token: outsider.token)
        }
        #expect(notMember?.code == .failedPrecondition)

        let draft = try await net.call(Coi_Network_V1_Tasks.Method.draft, .with {
            $0.title = "Modstå hurtige løsninger"
            $0.statement = "Vi efterspørger effekt, ikke flere regler."
        }, token: tokens[0])
        #expect(draft.state == .draft && draft.revision == 1)
        // A draft is the author's until opened.
        let hidden = await rpcError { _ = try await net.call(Coi_Network_V1_Tasks.Method.get, .with { $0.id = draft.id }, token: tokens[1]) }
        #expect(hidden?.code == .notFound)
        let revised = try await net.call(Coi_Network_V1_Tasks.Method.revise, .with {
            $0.id = draft.id; $0.version = draft.version; $0.title = draft.title
            $0.statement = "Vi efterspørger effekt og læring, ikke flere regler og detailstyring."; $0.summary = "skarpere"
        }, token: tokens[0])
        #expect(revised.revision == 2)
        let stale = await rpcError {
            _ = try await net.call(Coi_Network_V1_Tasks.Method.revise, .with { $0.id = draft.id; $0.version = draft.version; $0.title = "x"; $0.statement = "y" },
                                   token: tokens[0])
        }
        #expect(stale?.code == .aborted)
        _ = try await net.call(Coi_Network_V1_Tasks.Method.open, .with { $0.id = draft.id }, token: tokens[0])

        func endorse(_ index: Int) async throws -> Coi_Network_V1_EssentialTask {
            try await net.call(Coi_Network_V1_Tasks.Method.endorse, .with { $0.id = draft.id }, token: tokens[index])
        }
        #expect(try await endorse(0).parties == ["A"])
        #expect(try await endorse(1).state == .open) // still one party (A, A)
        let twice = await rpcError { _ = try await endorse(1) }
        #expect(twice?.code == .alreadyExists)
        #expect(try await endorse(2).state == .open) // A, V
        let published = try await endorse(3)        // A, V, Ø
        #expect(published.state == .published && published.endorsements == 4 && !published.publishedAt.isEmpty)
        // Once endorsed, the text is frozen.
        let frozen = await rpcError {
            _ = try await net.call(Coi_Network_V1_Tasks.Method.revise, .with {
                $0.id = draft.id; $0.version = published.version; $0.title = "x"; $0.statement = "y"
            }, token: tokens[0])
        }
        #expect(frozen?.code == .failedPrecondition)
        _ = try await net.call(Coi_Network_V1_Tasks.Method.comment, .with { $0.taskID = draft.id; $0.body = "Enig – og lad os måle det." }, token: tokens[4])
        let comments = try await net.call(Coi_Network_V1_Tasks.Method.listComments, .with { $0.id = draft.id }, token: tokens[2])
        #expect(comments.comments.map(\.party) == ["C"])
        let revisions = try await net.call(Coi_Network_V1_Tasks.Method.listRevisions, .with { $0.id = draft.id }, token: tokens[2])
        #expect(revisions.revisions.map(\.revision) == [1, 2])
        let withdrawn = try await net.call(Coi_Network_V1_Tasks.Method.withdraw, .with { $0.id = draft.id })
        #expect(withdrawn.state == .withdrawn)

        // The feed tells what happened without names.
        let events = try await net.bench.stream(Coi_Network_V1_Network.Method.feed, Coi_Network_V1_FeedRequest())
        #expect(events.map(\.kind).contains("task.published"))
        #expect(!events.contains { $0.detail.contains("Politiker") })
    }

    @Test func personalDataIsExportedAndErased() async throws {
        let net = try await NetworkFixture()
        try await net.importRows(NetworkFixture.rows(1))
        let member = try #require(try await net.members().first)
        let token = try await net.token(for: member)
        _ = try await net.call(Coi_Network_V1_Tasks.Method.draft, .with { $0.title = "T"; $0.statement = "S" }, token: token)
        let export = try await net.call(Coi_Identity_V1_Accounts.Method.export, .with { $0.id = member.accountID })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(export.json.utf8)) as? [String: Any])
        let plugins = try #require(json["plugins"] as? [String: Any])
        let network = try #require(plugins["coi.network"] as? [String: Any])
        #expect((network["memberships"] as? [Any])?.count == 1 && (network["tasks_drafted"] as? [Any])?.count == 1)

        _ = try await net.call(Coi_Identity_V1_Accounts.Method.erase, .with { $0.id = member.accountID; $0.reason = "request" })
        let after = try await net.call(Coi_Network_V1_Members.Method.get, .with { $0.id = member.id })
        #expect(after.status == .ceased && after.ref.isEmpty && !after.publicConsent && after.fullName.hasPrefix("former contributor"))
        #expect(try await net.breadth().activeMembers == 0)
    }
}
