import COIPluginKit
import COIProto
import COIWire
import Testing
@testable import COIWiki

@Suite struct WikiFeedTests {
    @Test func recentChangesBacklogFiltersAndResume() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna", roles: ["member", "moderator"])
        let r1 = try await wiki.save("A", "1", token: anna.token)
        try await wiki.save("Talk:A", "snak", token: anna.token)
        _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
            $0.title = "A"; $0.text = "2"; $0.baseRevisionID = r1.revision.id; $0.minor = true
        }, token: anna.token)
        _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.protect, Coi_Wiki_V1_ProtectRequest.with { $0.title = "A"; $0.level = .moderated },
                                token: anna.token)
        let all: [Coi_Wiki_V1_Change] = try await wiki.stream(Coi_Wiki_V1_Feeds.Method.recentChanges, Coi_Wiki_V1_FeedRequest(), token: anna.token)
        #expect(all.map(\.kind) == ["create", "create", "edit", "protect"])
        #expect(all.map(\.actorName).allSatisfy { $0 == "Anna" })
        let latestTwo: [Coi_Wiki_V1_Change] = try await wiki.stream(Coi_Wiki_V1_Feeds.Method.recentChanges,
                                                                    Coi_Wiki_V1_FeedRequest.with { $0.limit = 2 }, token: anna.token)
        #expect(latestTwo.map(\.sequence) == Array(all.suffix(2).map(\.sequence)))
        let talk: [Coi_Wiki_V1_Change] = try await wiki.stream(Coi_Wiki_V1_Feeds.Method.recentChanges,
                                                               Coi_Wiki_V1_FeedRequest.with { $0.namespace = .talk }, token: anna.token)
        #expect(talk.map(\.title) == ["Talk:A"])
        let major: [Coi_Wiki_V1_Change] = try await wiki.stream(Coi_Wiki_V1_Feeds.Method.recentChanges,
                                                                Coi_Wiki_V1_FeedRequest.with { $0.hideMinor = true }, token: anna.token)
        #expect(!major.contains { $0.minor })
        let resumed: [Coi_Wiki_V1_Change] = try await wiki.stream(Coi_Wiki_V1_Feeds.Method.recentChanges,
                                                                  Coi_Wiki_V1_FeedRequest.with { $0.afterSequence = all[1].sequence }, token: anna.token)
        #expect(resumed.map(\.sequence) == all.dropFirst(2).map(\.sequence))
    }

    @Test func watchlistHasOnlyWatchedPagesAndFollowStreamsNewChanges() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let bo = try await wiki.person("Bo")
        let page = try await wiki.save("Watched", "1", token: anna.token)
        try await wiki.save("Other", "1", token: anna.token)
        _ = try await wiki.call(Coi_Wiki_V1_Feeds.Method.watch, Coi_Wiki_V1_WatchRequest.with { $0.title = "Watched" }, token: bo.token)
        let watched = try await wiki.call(Coi_Wiki_V1_Feeds.Method.listWatched, Coi_Wiki_V1_ListWatchedRequest(), token: bo.token)
        #expect(watched.pages.map(\.title) == ["Watched"])

        // Follow: the stream stays open and delivers the next change to a watched page.
        var received = wiki.bench.follow(Coi_Wiki_V1_Feeds.Method.watchlist, .with { $0.follow = true }, token: bo.token)
            .makeAsyncIterator()
        let backlog = try await received.next()
        #expect(backlog?.title == "Watched")
        try await wiki.save("Other", "2", base: try await wiki.get("Other", token: anna.token).revision.id, token: anna.token)
        try await wiki.save("Watched", "2", base: page.revision.id, token: anna.token)
        let live = try await received.next()
        #expect(live?.title == "Watched")
        #expect(live?.kind == "edit")
    }
}
