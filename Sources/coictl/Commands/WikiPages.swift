import ArgumentParser
import COIProto
import COIRPC
import Foundation

struct WikiGet: UnaryCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Print a page's text (the latest revision unless --revision).",
        discussion: "The revision shown is printed on stderr; pass it to `wiki edit --base` after editing.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Option(help: ArgumentHelp("A past revision of the page.", valueName: "id")) var revision = ""
    @Flag(help: "Show a redirect page itself instead of its target.") var noRedirect = false
    static let rpc = Coi_Wiki_V1_Pages.Method.get

    func request() -> Coi_Wiki_V1_GetPageRequest {
        .with {
            $0.title = title
            $0.revisionID = revision
            $0.noRedirect = noRedirect
        }
    }

    func render(_ page: Coi_Wiki_V1_Page) {
        if options.json { return Output.show(page, options) }
        if !page.redirectedFrom.isEmpty { Output.error("redirected from \(Output.escapeControls(page.redirectedFrom))") }
        Output.error(Output.escapeControls("\(page.title) revision \(page.revision.id) by \(page.revision.authorName) at \(page.revision.createdAt)"))
        if page.hasCaseFields { WikiFormat.caseFields(page.caseFields) }
        // The text as stored when it goes to a file or a pipe; control characters made visible on a terminal.
        let text = isatty(STDOUT_FILENO) != 0 ? Output.escapeControls(page.text, keepLayout: true) : page.text
        Output.out(text + (text.hasSuffix("\n") || text.isEmpty ? "" : "\n"))
    }
}

struct WikiEdit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Save a page's new text from a file or stdin.",
        discussion: """
            --base names the revision the text was edited from (required when the page exists). If the \
            page moved on since, the edit is merged when it can be and rejected with the conflicting \
            hunks (exit 1, nothing saved) when it cannot. Prints the new revision's id.

            Case pages ("Case:…"): give only the fields you change; the others keep their values. \
            Creating a case page needs --level, --sector and the place (--municipality or --region). \
            --municipality and --region take a code, or a name in any spelling ("Lyngby-Taarbæk", \
            "region sjaelland"). An empty value ("") clears a text field.
            """)
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Option(help: ArgumentHelp("Read the text from this file (default: stdin; - is stdin).", valueName: "path")) var file = "-"
    @Option(help: ArgumentHelp("The revision the text was edited from.", valueName: "id")) var base = ""
    @Option(help: "What changed and why.") var summary = ""
    @Flag(help: "A minor edit (typo, formatting).") var minor = false
    @Option(help: ArgumentHelp("Case pages: state, region or municipality.", valueName: "level")) var level: String?
    @Option(help: ArgumentHelp("Case pages: the municipality, a code (101) or a name (København).", valueName: "municipality"))
    var municipality: String?
    @Option(help: ArgumentHelp("Case pages: the region, a code (1085) or a name (Sjælland).", valueName: "region")) var region: String?
    @Option(help: "Case pages: sector, e.g. health.") var sector: String?
    @Option(help: "Case pages: the effect achieved.") var effect: String?
    @Option(help: "Case pages: how it was done.") var process: String?
    @Option(help: "Case pages: what it needs to work elsewhere.") var conditions: String?
    @Option(help: "Case pages: where it is documented.") var documentation: String?
    @Option(help: "Case pages: whom to ask.") var contact: String?

    /// The case options given, as (option, field name in CaseFields).
    var givenCaseOptions: [(option: String, field: String)] {
        [("--level", level), ("--municipality", municipality), ("--region", region), ("--sector", sector), ("--effect", effect),
         ("--process", process), ("--conditions", conditions), ("--documentation", documentation), ("--contact", contact)]
            .compactMap { $0.1 == nil ? nil : $0.0 }
            .map { option in
                let name = String(option.dropFirst(2))
                return (option: option, field: name == "municipality" ? "municipality_code" : name == "region" ? "region_code" : name)
            }
    }

    func validate() throws {
        let given = givenCaseOptions
        let normalized = title.replacingOccurrences(of: "_", with: " ").trimmingCharacters(in: .whitespaces).lowercased()
        if let first = given.first, !normalized.hasPrefix("case:") {
            throw ValidationError("\(first.option) is a case field: only case pages (titles \"Case:…\") have them, and \"\(title)\" is not one")
        }
        if let level, !["state", "region", "municipality"].contains(level.lowercased()) {
            throw ValidationError("--level must be state, region or municipality, not \"\(level)\"")
        }
    }

    func run() async throws {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            data = contents
        }
        guard let text = String(data: data, encoding: .utf8) else { throw ValidationError("the text is not UTF-8") }
        var request = Coi_Wiki_V1_SaveRequest.with {
            $0.title = title
            $0.text = text
            $0.baseRevisionID = base
            $0.summary = summary
            $0.minor = minor
        }
        let reply = try await Session.with(options) { session in
            let given = givenCaseOptions
            if !given.isEmpty {
                // Only the fields given change; coid keeps the others from the base revision.
                request.caseFieldMask = given.map(\.field)
                let municipalityCode = try await Places.municipalityCode(municipality, session)
                let regionCode = try await Places.regionCode(region, session)
                request.caseFields = .with {
                    $0.level = switch level?.lowercased() {
                    case "state": .state
                    case "region": .region
                    case "municipality": .municipality
                    default: .unspecified
                    }
                    $0.municipalityCode = municipalityCode
                    $0.regionCode = regionCode
                    $0.sector = sector ?? ""
                    $0.effect = effect ?? ""
                    $0.process = process ?? ""
                    $0.conditions = conditions ?? ""
                    $0.documentation = documentation ?? ""
                    $0.contact = contact ?? ""
                }
            }
            return try await session.call(Coi_Wiki_V1_Pages.Method.save, request)
        }
        WikiFormat.saved(reply, options)
    }
}

struct WikiHistory: ListCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "List a page's revisions, newest first.")
    static let rpc = Coi_Wiki_V1_Pages.Method.history
    @OptionGroup var options: GlobalOptions
    @OptionGroup var paging: PageOptions
    @Argument(help: "The page's title.") var title: String

    func request() -> Coi_Wiki_V1_HistoryRequest { .with { $0.title = title } }
    func render(_ revisions: [Coi_Wiki_V1_Revision]) { WikiFormat.revisionRows(revisions) }
}

struct WikiDiff: UnaryCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Show the changes between two revisions (unified; --words for word level).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The older revision.") var from: String
    @Argument(help: "The newer revision.") var to: String
    @Option(help: ArgumentHelp("Unchanged lines around changes (default 3).", valueName: "n")) var context: Int32?
    @Flag(help: "Show each hunk's word-level changes as [-deleted-]{+inserted+}.") var words = false
    static let rpc = Coi_Wiki_V1_Pages.Method.diff

    func request() -> Coi_Wiki_V1_DiffRequest {
        .with {
            $0.fromRevisionID = from
            $0.toRevisionID = to
            $0.contextLines = context ?? 0
        }
    }

    func render(_ reply: Coi_Wiki_V1_DiffReply) {
        if options.json { return Output.show(reply, options) }
        Output.line("--- \(reply.from.id) \(reply.from.authorName) \(reply.from.createdAt)")
        Output.line("+++ \(reply.to.id) \(reply.to.authorName) \(reply.to.createdAt)")
        for change in reply.fieldChanges {
            Output.line("@@ case field \(change.field) @@")
            if !change.from.isEmpty { Output.line(WikiFormat.fieldLines(change.from, mark: "-")) }
            if !change.to.isEmpty { Output.line(WikiFormat.fieldLines(change.to, mark: "+")) }
        }
        for hunk in reply.hunks {
            Output.line("@@ -\(hunk.oldStart),\(hunk.oldCount) +\(hunk.newStart),\(hunk.newCount) @@")
            if words {
                Output.line(hunk.words.map { word in
                    switch word.op {
                    case .delete: "[-\(word.text)-]"
                    case .insert: "{+\(word.text)+}"
                    default: word.text
                    }
                }.joined())
            } else {
                for line in hunk.lines {
                    let mark = switch line.op {
                    case .delete: "-"
                    case .insert: "+"
                    default: " "
                    }
                    Output.line(mark + line.text)
                }
            }
        }
    }
}

struct WikiCredits: ListCommand {
    static let configuration = CommandConfiguration(commandName: "credits", abstract: "List a page's authors in order of first contribution.")
    static let rpc = Coi_Wiki_V1_Pages.Method.credits
    @OptionGroup var options: GlobalOptions
    @OptionGroup var paging: PageOptions
    @Argument(help: "The page's title.") var title: String

    func request() -> Coi_Wiki_V1_CreditsRequest { .with { $0.title = title } }

    func render(_ credits: [Coi_Wiki_V1_Credit]) {
        Output.table(["AUTHOR", "ACCOUNT", "REVISIONS", "FIRST", "LAST"], credits.map {
            [$0.authorName, $0.authorID, "\($0.revisions)", $0.firstAt, $0.lastAt]
        })
    }
}
