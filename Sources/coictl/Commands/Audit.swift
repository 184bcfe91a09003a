import ArgumentParser
import COIProto
import COIRPC

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read and verify the audit log of every state-changing call.",
        subcommands: [List.self, Verify.self, Head.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls", abstract: "List audit entries, newest first (--oldest-first to page forward).",
            discussion: """
                The server pages forward only (oldest first). Newest first therefore reads every matching \
                entry and shows the newest --page-size (100) of them, or all with --all; narrow it with \
                --since, --account or --method on a large log. --page-token needs --oldest-first.
                """, aliases: ["list"])
        static let rpc = Coi_Identity_V1_Audit.Method.list
        @OptionGroup var options: GlobalOptions
        @OptionGroup var paging: PageOptions
        @Option(help: ArgumentHelp("Entries at or after this time (RFC 3339, or a date such as 2026-11-01).", valueName: "time"))
        var since = ""
        @Option(help: ArgumentHelp("Entries before this time.", valueName: "time")) var until = ""
        @Option(help: ArgumentHelp("Entries made by this account or acting for it.", valueName: "id")) var account = ""
        @Option(help: ArgumentHelp("A method (coi.identity.v1.Accounts/Create), or a prefix ending in / or .", valueName: "prefix"))
        var method = ""
        @Flag(help: "Oldest first, one page at a time, as the server pages.") var oldestFirst = false

        func validate() throws {
            if !oldestFirst && !paging.pageToken.isEmpty {
                throw ValidationError("--page-token pages forward: add --oldest-first")
            }
        }

        func run() async throws {
            let request = Coi_Identity_V1_ListAuditRequest.with {
                $0.since = since
                $0.until = until
                $0.accountID = account
                $0.method = method
            }
            var entries: [Coi_Identity_V1_AuditEntry]
            var next = ""
            if oldestFirst {
                (entries, next) = try await Session.with(options) { try await $0.pages(Self.rpc, request, paging) }
            } else {
                entries = try await Session.with(options) { try await $0.pages(Self.rpc, request, pageSize: 500, all: true) }.items
                let shown = paging.all ? entries.count : Int(paging.pageSize ?? 100)
                if entries.count > shown {
                    Output.error("\(entries.count - shown) older entries not shown: use --all, or --oldest-first to page")
                }
                entries = Array(entries.suffix(max(shown, 0)).reversed())
            }
            if options.json {
                Output.jsonLines(entries.map(ProtoJSON.value))
            } else {
                Output.table(["SEQ", "TIME", "PRINCIPAL", "ACT AS", "METHOD", "TARGET", "OUTCOME"], entries.map {
                    ["\($0.sequence)", $0.time, $0.principal, IdentityFormat.cell($0.actAs), $0.method,
                     IdentityFormat.cell($0.target), $0.outcome]
                })
            }
            paging.reportNext(next, options)
        }
    }

    struct Verify: UnaryCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain of the audit log.",
            discussion: "Exits 0 when the chain is intact, 1 with the first bad entry when it is not.")
        static let rpc = Coi_Identity_V1_Audit.Method.verify
        @OptionGroup var options: GlobalOptions

        func request() -> Coi_Identity_V1_VerifyAuditRequest { .init() }

        func render(_ reply: Coi_Identity_V1_VerifyAuditReply) throws {
            if options.json {
                Output.show(reply, options)
            } else if reply.ok {
                Output.line("ok: \(reply.entries) \(reply.entries == 1 ? "entry" : "entries"), chain intact")
            }
            guard reply.ok else {
                Output.error("audit log broken at entry \(reply.firstBadSequence): \(reply.problem)")
                Output.error("\(reply.entries) \(reply.entries == 1 ? "entry" : "entries") before it verified")
                throw ExitCode.failure
            }
        }
    }
}
