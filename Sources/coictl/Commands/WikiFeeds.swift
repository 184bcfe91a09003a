import ArgumentParser
import COIProto
import COIRPC
import Foundation

/// Options of the two feeds.
struct WikiFeedOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Start after this change's sequence number (default: the latest --limit changes).", valueName: "n"))
    var after: Int64?
    @Option(help: ArgumentHelp("Changes sent before following (1–500; default 100).", valueName: "n")) var limit: Int32?
    @Option(help: ArgumentHelp("Only main, talk or case pages.", valueName: "namespace")) var namespace: String?
    @Flag(help: "Leave out minor edits.") var hideMinor = false
    @Flag(help: "Keep streaming changes as they are made, until interrupted.") var follow = false

    func request() throws -> Coi_Wiki_V1_FeedRequest {
        try .with {
            $0.afterSequence = after ?? 0
            $0.limit = limit ?? 0
            $0.namespace = try WikiFormat.namespace(namespace)
            $0.hideMinor = hideMinor
            $0.follow = follow
        }
    }

    /// Prints one change as a line (or a JSON object per line with --json).
    static func show(_ change: Coi_Wiki_V1_Change, _ options: GlobalOptions) {
        // A followed feed is read as it comes, often through a pipe: do not let stdio hold it back.
        if options.json { return Output.json(ProtoJSON.value(change), flush: true) }
        let delta = change.sizeDelta >= 0 ? "+\(change.sizeDelta)" : "\(change.sizeDelta)"
        let fields = [String(change.sequence), change.time, change.kind, change.title, change.revisionID.isEmpty ? "-" : change.revisionID,
                      change.actorName, change.revisionID.isEmpty ? "" : delta, change.minor ? "m" : "", change.summary]
        Output.out(fields.filter { !$0.isEmpty }.map { Output.escapeControls($0) }.joined(separator: "  ") + "\n", flush: true)
    }
}

struct WikiRecent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recent", abstract: "Show recent changes, oldest first; --follow to keep streaming.")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var feed: WikiFeedOptions

    func run() async throws {
        let request = try feed.request()
        try await Session.with(options) { session in
            try await session.serverStream(Coi_Wiki_V1_Feeds.Method.recentChanges, request, follow: feed.follow) {
                WikiFeedOptions.show($0, options)
            }
        }
    }
}

struct WikiWatchlist: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watchlist", abstract: "Show changes to the pages you watch; --follow to keep streaming.")
    @OptionGroup var options: GlobalOptions
    @OptionGroup var feed: WikiFeedOptions

    func run() async throws {
        let request = try feed.request()
        try await Session.with(options) { session in
            try await session.serverStream(Coi_Wiki_V1_Feeds.Method.watchlist, request, follow: feed.follow) {
                WikiFeedOptions.show($0, options)
            }
        }
    }
}

struct WikiWatch: UnaryCommand {
    static let configuration = CommandConfiguration(commandName: "watch", abstract: "Add a page to your watchlist.")
    static let rpc = Coi_Wiki_V1_Feeds.Method.watch
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String

    func request() -> Coi_Wiki_V1_WatchRequest { .with { $0.title = title } }
    func render(_ reply: Coi_Wiki_V1_WatchReply) { render(reply, text: "watching \(reply.title)") }
}

struct WikiUnwatch: UnaryCommand {
    static let configuration = CommandConfiguration(commandName: "unwatch", abstract: "Remove a page from your watchlist.")
    static let rpc = Coi_Wiki_V1_Feeds.Method.unwatch
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String

    func request() -> Coi_Wiki_V1_WatchRequest { .with { $0.title = title } }
    func render(_ reply: Coi_Wiki_V1_WatchReply) { render(reply, text: "not watching \(reply.title)") }
}

struct WikiWatched: ListCommand {
    static let configuration = CommandConfiguration(commandName: "watched", abstract: "List the pages you watch.")
    static let rpc = Coi_Wiki_V1_Feeds.Method.listWatched
    @OptionGroup var options: GlobalOptions
    @OptionGroup var paging: PageOptions

    func request() -> Coi_Wiki_V1_ListWatchedRequest { .init() }
    func render(_ pages: [Coi_Wiki_V1_PageRef]) { WikiFormat.pageRefs(pages) }
}
