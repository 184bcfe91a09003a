import ArgumentParser
import COIRPC
import SwiftProtobuf

/// A list request that pages with `page_size` and `page_token`.
protocol PagedRequest: SwiftProtobuf.Message {
    var pageSize: Int32 { get set }
    var pageToken: String { get set }
}

/// A list reply: one page of items and the token of the next page ("" on the last).
protocol PagedReply: SwiftProtobuf.Message {
    associatedtype Item: SwiftProtobuf.Message
    var items: [Item] { get }
    var nextPageToken: String { get }
}

/// `--page-size`, `--page-token` and `--all`, for every list command.
struct PageOptions: ParsableArguments {
    @Option(name: [.customLong("page-size"), .customLong("limit")],
            help: ArgumentHelp("Items per page, 1–500 (default: the server's, 100).", valueName: "n"))
    var pageSize: Int32?

    @Option(name: .customLong("page-token"), help: ArgumentHelp("Start at this page (the token a previous page printed).", valueName: "token"))
    var pageToken = ""

    @Flag(help: "Fetch every page, not just one.")
    var all = false

    /// Says where the next page starts, if there is one.
    ///
    /// For people: a note on stderr. With --json and an explicit --page-size or --page-token (a
    /// script paging on purpose): a last line `{"next_page_token":"…"}` on stdout, so a loop can read
    /// it from the same stream; otherwise the note on stderr, keeping stdout one item per line.
    func reportNext(_ token: String, _ options: GlobalOptions) {
        guard !token.isEmpty else { return }
        if options.json && (pageSize != nil || !pageToken.isEmpty) {
            Output.json(["next_page_token": token])
        } else {
            Output.error("more follow: --page-token \(token) for the next page, or --all for every page")
        }
    }
}

/// A command that lists one paged method: the protocol fetches the page(s), prints JSON lines with
/// --json, or lets the command render a table, then reports the next page token.
protocol ListCommand: AsyncParsableCommand {
    associatedtype Request: PagedRequest
    associatedtype Reply: PagedReply

    var options: GlobalOptions { get }
    var paging: PageOptions { get }
    static var rpc: RPC<Request, Reply> { get }
    /// The request's filters; the protocol fills in the page fields.
    func request() throws -> Request
    /// Completes the request with what only coid can say (a region typed as a name, see `Places`);
    /// by default the request as it is.
    func resolve(_ request: Request, _ session: Session) async throws -> Request
    /// Prints the items for people.
    func render(_ items: [Reply.Item])
}

extension ListCommand {
    func resolve(_ request: Request, _ session: Session) async throws -> Request { request }

    func run() async throws {
        let request = try request()
        let (items, next) = try await Session.with(options) { session in
            try await session.pages(Self.rpc, try await resolve(request, session), paging)
        }
        if options.json {
            Output.jsonLines(items.map(ProtoJSON.value))
        } else {
            render(items)
        }
        paging.reportNext(next, options)
    }
}

extension Session {
    /// Fetches the page(s) the options ask for.
    func pages<Request: PagedRequest, Reply: PagedReply>(_ rpc: RPC<Request, Reply>, _ request: Request,
                                                         _ paging: PageOptions) async throws -> (items: [Reply.Item], next: String) {
        try await pages(rpc, request, pageSize: paging.pageSize, from: paging.pageToken, all: paging.all)
    }

    /// Fetches one page of a list, or every page from there on.
    /// - Returns: The items and the token of the page after them ("" when none).
    func pages<Request: PagedRequest, Reply: PagedReply>(_ rpc: RPC<Request, Reply>, _ request: Request, pageSize: Int32?,
                                                         from token: String = "", all: Bool) async throws -> (items: [Reply.Item], next: String) {
        var request = request
        if let pageSize { request.pageSize = pageSize }
        request.pageToken = token
        var items: [Reply.Item] = []
        repeat {
            let reply = try await call(rpc, request)
            items += reply.items
            request.pageToken = reply.nextPageToken
        } while all && !request.pageToken.isEmpty
        return (items, request.pageToken)
    }
}
