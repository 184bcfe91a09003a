import ArgumentParser
import COIProto
import Foundation

/// Options of the two feeds.
struct WikiFeedOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Start after this change's sequence number (default: the latest --limit changes).", valueName: "n"))
    var after: Int64 = 0
    @Option(help: ArgumentHelp("Changes sent before following (1–500; default 100).", valueName: "n")) var limit: Int32 = 0
    @Option(help: "Only main, talk or case pages.") var namespace: String?
    @Flag(help: "Leave out minor edits.") var hideMinor = false
    @Flag(help: "Keep streaming changes as they are made, until interrupted.") var follow = false

    func request() throws -> Coi_Wiki_V1_FeedRequest {
        try .with {
            $0.afterSequence = after
            $0.limit = limit
            $0.namespace = try WikiFormat.namespace(namespace)
            $0.hideMinor = hideMinor
            $0.follow = follow
        }
    }

    /// Prints one change as a line (or a JSON object per line with --json).
    static func show(_ change: Coi_Wiki_V1_Change, _ options: GlobalOptions) {
        if options.json {
            WikiFormat.printJSON(change)
        } else {
            let delta = change.sizeDelta >= 0 ? "+\(change.sizeDelta)" : "\(change.sizeDelta)"
            print([String(change.sequence), change.time, change.kind, change.title, change.revisionID.isEmpty ? "-" : change.revisionID,
                   change.actorName, change.revisionID.isEmpty ? "" : delta, change.minor ? "m" : "", change.summary]
                .filter { !$0.isEmpty }.joined(separator: "  "))
        }
        // A followed feed is read as it comes, often through a pipe: do not let stdio hold it back.
        fflush(nil)
    }
}

struct WikiRecent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recent", abstract: "Show recent changes, oldest first; --follow to keep streaming.")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var feed: WikiFeedOptions

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        try await session.serverStream(Coi_Wiki_V1_Feeds.Method.recentChanges, try feed.request(), follow: feed.follow) {
            WikiFeedOptions.show($0, options)
        }
    }
}

struct WikiWatchlist: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watchlist", abstract: "Show changes to the pages you watch; --follow to keep streaming.")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var feed: WikiFeedOptions

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        try await session.serverStream(Coi_Wiki_V1_Feeds.Method.watchlist, try feed.request(), follow: feed.follow) {
            WikiFeedOptions.show($0, options)
        }
    }
}

struct WikiWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "Add a page to your watchlist.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        let reply = try await session.wiki(Coi_Wiki_V1_Feeds.Method.watch, Coi_Wiki_V1_WatchRequest.with { $0.title = title })
        options.json ? WikiFormat.printJSON(reply) : print("watching \(reply.title)")
    }
}

struct WikiUnwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unwatch", abstract: "Remove a page from your watchlist.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        let reply = try await session.wiki(Coi_Wiki_V1_Feeds.Method.unwatch, Coi_Wiki_V1_WatchRequest.with { $0.title = title })
        options.json ? WikiFormat.printJSON(reply) : print("not watching \(reply.title)")
    }
}

struct WikiWatched: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "watched", abstract: "List the pages you watch.")
    @OptionGroup var options: GlobalOptions
    @Option(help: ArgumentHelp("Pages per page (1–500; default 100).", valueName: "n")) var limit: Int32 = 0
    @Flag(help: "Fetch every page, not just the first.") var all = false

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        var request = Coi_Wiki_V1_ListWatchedRequest.with { $0.pageSize = limit }
        let (pages, more) = try await session.pages(all: all) { token in
            request.pageToken = token
            let reply = try await session.wiki(Coi_Wiki_V1_Feeds.Method.listWatched, request)
            return (reply.pages, reply.nextPageToken)
        }
        WikiFormat.pageRefs(pages, options)
        if more { Output.error("more pages follow: use --all to fetch every page") }
    }
}
