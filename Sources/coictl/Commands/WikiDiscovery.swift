import ArgumentParser
import COIProto
import COIRPC

struct WikiSearch: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Full-text search, best first; æ/ae, ø/oe and å/aa find each other.",
        discussion: "All words must occur; end a word with * to match it as a prefix. Matches are marked «like this».")
    static let rpc = Coi_Wiki_V1_Discovery.Method.search
    @OptionGroup var options: GlobalOptions
    @OptionGroup var paging: PageOptions
    @Argument(help: "The words to find.") var query: [String]
    @Option(help: ArgumentHelp("Only main, talk or case pages.", valueName: "namespace")) var namespace: String?

    func request() throws -> Coi_Wiki_V1_SearchRequest {
        try .with {
            $0.query = query.joined(separator: " ")
            $0.namespace = try WikiFormat.namespace(namespace)
        }
    }

    func render(_ hits: [Coi_Wiki_V1_SearchHit]) {
        for hit in hits {
            Output.line(Output.escapeControls(hit.title))
            Output.line("    " + Output.escapeControls(hit.snippet))
        }
    }
}

/// The page-list commands: the same request and reply, a different method and subject.
protocol WikiPageList: ListCommand where Request == Coi_Wiki_V1_ListRequest, Reply == Coi_Wiki_V1_PageRefsReply {
    var namespace: String? { get }
    var subject: String { get }
}

extension WikiPageList {
    func request() throws -> Coi_Wiki_V1_ListRequest {
        try .with {
            $0.title = subject
            $0.namespace = try WikiFormat.namespace(namespace)
        }
    }

    func render(_ pages: [Coi_Wiki_V1_PageRef]) { WikiFormat.pageRefs(pages) }
}

struct WikiBacklinks: WikiPageList {
    static let configuration = CommandConfiguration(commandName: "backlinks", abstract: "List the pages that link to a page.")
    static let rpc = Coi_Wiki_V1_Discovery.Method.backlinks
    @OptionGroup var options: GlobalOptions
    @OptionGroup var paging: PageOptions
    @Argument(help: "The page's title.") var title: String
    @Option(help: ArgumentHelp("Only main, talk or case pages.", valueName: "namespace")) var namespace: String?
    var subject: String { title }
}

struct WikiOrphans: WikiPageList {
    static let configuration = CommandConfiguration(commandName: "orphans", abstract: "List pages no other page links to.")
    static let rpc = Coi_Wiki_V1_Discovery.Method.orphans
    @OptionGroup var options: GlobalOptions
    @OptionGroup var paging: PageOptions
    @Option(help: ArgumentHelp("Only main, talk or case pages.", valueName: "namespace")) var namespace: String?
    var subject: String { "" }
}

struct WikiCategory: WikiPageList {
    static let configuration = CommandConfiguration(commandName: "category", abstract: "List the pages in a category.")
    static let rpc = Coi_Wiki_V1_Discovery.Method.category
    @OptionGroup var options: GlobalOptions
    @OptionGroup var paging: PageOptions
    @Argument(help: "The category's name.") var name: String
    @Option(help: ArgumentHelp("Only main, talk or case pages.", valueName: "namespace")) var namespace: String?
    var subject: String { name }
}

struct WikiWanted: ListCommand {
    static let configuration = CommandConfiguration(commandName: "wanted", abstract: "List titles that are linked to but have no page.")
    static let rpc = Coi_Wiki_V1_Discovery.Method.wantedPages
    @OptionGroup var options: GlobalOptions
    @OptionGroup var paging: PageOptions
    @Option(help: ArgumentHelp("Only main, talk or case titles.", valueName: "namespace")) var namespace: String?

    func request() throws -> Coi_Wiki_V1_ListRequest { try .with { $0.namespace = try WikiFormat.namespace(namespace) } }

    func render(_ pages: [Coi_Wiki_V1_WantedPage]) { Output.table(["TITLE", "LINKS"], pages.map { [$0.title, "\($0.links)"] }) }
}

struct WikiCases: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases", abstract: "List case pages by municipality, region, sector or level.")
    static let rpc = Coi_Wiki_V1_Discovery.Method.cases
    @OptionGroup var options: GlobalOptions
    @OptionGroup var paging: PageOptions
    @Option(help: ArgumentHelp("The municipality: a code (101) or a name in any spelling (København).", valueName: "municipality"))
    var municipality: String?
    @Option(help: ArgumentHelp("The region: a code (1085) or a name in any spelling (\"Region Sjælland\", sjaelland).", valueName: "region"))
    var region: String?
    @Option(help: "Sector, e.g. health.") var sector = ""
    @Option(help: ArgumentHelp("state, region or municipality.", valueName: "level")) var level: String?

    func request() throws -> Coi_Wiki_V1_ListCasesRequest {
        var request = Coi_Wiki_V1_ListCasesRequest.with {
            $0.sector = sector
        }
        switch level?.lowercased() {
        case nil: break
        case "state": request.level = .state
        case "region": request.level = .region
        case "municipality": request.level = .municipality
        default: throw ValidationError("--level must be state, region or municipality")
        }
        return request
    }

    func resolve(_ request: Coi_Wiki_V1_ListCasesRequest, _ session: Session) async throws -> Coi_Wiki_V1_ListCasesRequest {
        var request = request
        request.municipalityCode = try await Places.municipalityCode(municipality, session)
        request.regionCode = try await Places.regionCode(region, session)
        return request
    }

    func render(_ cases: [Coi_Wiki_V1_CaseSummary]) {
        Output.table(["TITLE", "MUNICIPALITY", "REGION", "SECTOR", "UPDATED"], cases.map {
            [$0.title, WikiFormat.cell($0.municipalityName), WikiFormat.cell($0.regionName), $0.fields.sector, $0.updatedAt]
        })
    }
}

struct WikiContributions: ListCommand {
    static let configuration = CommandConfiguration(
        commandName: "contributions", abstract: "List a person's revisions, newest first (default: yours).")
    static let rpc = Coi_Wiki_V1_Discovery.Method.contributions
    @OptionGroup var options: GlobalOptions
    @OptionGroup var paging: PageOptions
    @Argument(help: "The account (default: the caller's).") var account = ""

    func request() -> Coi_Wiki_V1_ContributionsRequest { .with { $0.accountID = account } }

    func render(_ revisions: [Coi_Wiki_V1_Revision]) {
        Output.table(["REVISION", "TIME", "PAGE", "SIZE", "TAGS", "SUMMARY"], revisions.map {
            [$0.id, $0.createdAt, $0.title, "\($0.size)", WikiFormat.tags($0.tags), WikiFormat.cell($0.summary)]
        })
    }
}
