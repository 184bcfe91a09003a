import ArgumentParser
import COIRPC
import COIProto

struct WikiSearch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Full-text search, best first; æ/ae, ø/oe and å/aa find each other.",
        discussion: "All words must occur; end a word with * to match it as a prefix. Matches are marked «like this».")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The words to find.") var query: [String]
    @Option(help: "Only main, talk or case pages.") var namespace: String?
    @Option(help: ArgumentHelp("Hits per page (1–500; default 100).", valueName: "n")) var limit: Int32 = 0

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        let reply = try await session.wiki(Coi_Wiki_V1_Discovery.Method.search, Coi_Wiki_V1_SearchRequest.with {
            $0.query = query.joined(separator: " ")
            $0.namespace = try WikiFormat.namespace(namespace)
            $0.pageSize = limit
        })
        if options.json {
            WikiFormat.printJSON(reply.hits)
            return
        }
        for hit in reply.hits {
            print(hit.title)
            print("    \(hit.snippet)")
        }
    }
}

/// The shared shape of the page-list commands.
protocol WikiPageList: AsyncParsableCommand {
    var options: GlobalOptions { get }
    var namespace: String? { get }
    var limit: Int32 { get }
    var all: Bool { get }
    var rpc: RPC<Coi_Wiki_V1_ListRequest, Coi_Wiki_V1_PageRefsReply> { get }
    var subject: String { get }
}

extension WikiPageList {
    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        var request = Coi_Wiki_V1_ListRequest.with {
            $0.title = subject
            $0.pageSize = limit
        }
        request.namespace = try WikiFormat.namespace(namespace)
        let (pages, more) = try await session.pages(all: all) { token in
            request.pageToken = token
            let reply = try await session.wiki(rpc, request)
            return (reply.pages, reply.nextPageToken)
        }
        WikiFormat.pageRefs(pages, options)
        if more { Output.error("more pages follow: use --all to fetch every page") }
    }
}

struct WikiBacklinks: WikiPageList {
    static let configuration = CommandConfiguration(commandName: "backlinks", abstract: "List the pages that link to a page.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Option(help: "Only main, talk or case pages.") var namespace: String?
    @Option(help: ArgumentHelp("Pages per page (1–500; default 100).", valueName: "n")) var limit: Int32 = 0
    @Flag(help: "Fetch every page, not just the first.") var all = false
    var rpc: RPC<Coi_Wiki_V1_ListRequest, Coi_Wiki_V1_PageRefsReply> { Coi_Wiki_V1_Discovery.Method.backlinks }
    var subject: String { title }
}

struct WikiOrphans: WikiPageList {
    static let configuration = CommandConfiguration(commandName: "orphans", abstract: "List pages no other page links to.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Only main, talk or case pages.") var namespace: String?
    @Option(help: ArgumentHelp("Pages per page (1–500; default 100).", valueName: "n")) var limit: Int32 = 0
    @Flag(help: "Fetch every page, not just the first.") var all = false
    var rpc: RPC<Coi_Wiki_V1_ListRequest, Coi_Wiki_V1_PageRefsReply> { Coi_Wiki_V1_Discovery.Method.orphans }
    var subject: String { "" }
}

struct WikiCategory: WikiPageList {
    static let configuration = CommandConfiguration(commandName: "category", abstract: "List the pages in a category.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The category's name.") var name: String
    @Option(help: "Only main, talk or case pages.") var namespace: String?
    @Option(help: ArgumentHelp("Pages per page (1–500; default 100).", valueName: "n")) var limit: Int32 = 0
    @Flag(help: "Fetch every page, not just the first.") var all = false
    var rpc: RPC<Coi_Wiki_V1_ListRequest, Coi_Wiki_V1_PageRefsReply> { Coi_Wiki_V1_Discovery.Method.category }
    var subject: String { name }
}

struct WikiWanted: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wanted", abstract: "List titles that are linked to but have no page.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Only main, talk or case titles.") var namespace: String?
    @Option(help: ArgumentHelp("Titles per page (1–500; default 100).", valueName: "n")) var limit: Int32 = 0
    @Flag(help: "Fetch every page, not just the first.") var all = false

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        var request = Coi_Wiki_V1_ListRequest.with { $0.pageSize = limit }
        request.namespace = try WikiFormat.namespace(namespace)
        let (pages, more) = try await session.pages(all: all) { token in
            request.pageToken = token
            let reply = try await session.wiki(Coi_Wiki_V1_Discovery.Method.wantedPages, request)
            return (reply.pages, reply.nextPageToken)
        }
        options.json ? WikiFormat.printJSON(pages) : Output.table(["TITLE", "LINKS"], pages.map { [$0.title, "\($0.links)"] })
        if more { Output.error("more titles follow: use --all to fetch every page") }
    }
}

struct WikiCases: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases", abstract: "List case pages by municipality, region, sector or level.")
    @OptionGroup var options: GlobalOptions
    @Option(help: ArgumentHelp("Official municipality code (101 København …).", valueName: "code")) var municipality: Int32 = 0
    @Option(help: ArgumentHelp("Region code (1081–1085).", valueName: "code")) var region: Int32 = 0
    @Option(help: "Sector, e.g. health.") var sector = ""
    @Option(help: "state, region or municipality.") var level: String?
    @Option(help: ArgumentHelp("Cases per page (1–500; default 100).", valueName: "n")) var limit: Int32 = 0
    @Flag(help: "Fetch every page, not just the first.") var all = false

    func run() async throws {
        var request = Coi_Wiki_V1_ListCasesRequest.with {
            $0.municipalityCode = municipality
            $0.regionCode = region
            $0.sector = sector
            $0.pageSize = limit
        }
        switch level?.lowercased() {
        case nil: break
        case "state": request.level = .state
        case "region": request.level = .region
        case "municipality": request.level = .municipality
        default: throw ValidationError("--level must be state, region or municipality")
        }
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        let (cases, more) = try await session.pages(all: all) { token in
            request.pageToken = token
            let reply = try await session.wiki(Coi_Wiki_V1_Discovery.Method.cases, request)
            return (reply.cases, reply.nextPageToken)
        }
        if options.json {
            WikiFormat.printJSON(cases)
        } else {
            Output.table(["TITLE", "MUNICIPALITY", "REGION", "SECTOR", "UPDATED"], cases.map {
                [$0.title, WikiFormat.cell($0.municipalityName), WikiFormat.cell($0.regionName), $0.fields.sector, $0.updatedAt]
            })
        }
        if more { Output.error("more cases follow: use --all to fetch every page") }
    }
}

struct WikiContributions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contributions", abstract: "List a person's revisions, newest first (default: yours).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The account (default: the caller's).") var account = ""
    @Option(help: ArgumentHelp("Revisions per page (1–500; default 100).", valueName: "n")) var limit: Int32 = 0
    @Flag(help: "Fetch every page, not just the first.") var all = false

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        var request = Coi_Wiki_V1_ContributionsRequest.with {
            $0.accountID = account
            $0.pageSize = limit
        }
        let (revisions, more) = try await session.pages(all: all) { token in
            request.pageToken = token
            let reply = try await session.wiki(Coi_Wiki_V1_Discovery.Method.contributions, request)
            return (reply.revisions, reply.nextPageToken)
        }
        if options.json {
            WikiFormat.printJSON(revisions)
        } else {
            Output.table(["REVISION", "TIME", "PAGE", "SIZE", "TAGS", "SUMMARY"], revisions.map {
                [$0.id, $0.createdAt, $0.title, "\($0.size)", WikiFormat.tags($0.tags), WikiFormat.cell($0.summary)]
            })
        }
        if more { Output.error("more revisions follow: use --all to fetch every page") }
    }
}
