import ArgumentParser
import COIProto

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read and verify the audit log of every state-changing call.",
        subcommands: [List.self, Verify.self, Head.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List audit entries, oldest first.")
        @OptionGroup var options: GlobalOptions
        @Option(help: ArgumentHelp("Entries at or after this time (RFC 3339, or a date such as 2026-11-01).", valueName: "time"))
        var since = ""
        @Option(help: ArgumentHelp("Entries before this time.", valueName: "time")) var until = ""
        @Option(help: ArgumentHelp("Entries made by this account or acting for it.", valueName: "id")) var account = ""
        @Option(help: ArgumentHelp("A method (coi.identity.v1.Accounts/Create), or a prefix ending in / or .", valueName: "prefix"))
        var method = ""
        @Option(help: ArgumentHelp("Entries per page (1–500; default 100).", valueName: "n")) var limit: Int32 = 0
        @Flag(help: "Fetch every page, not just the first.") var all = false

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            var request = Coi_Identity_V1_ListAuditRequest.with {
                $0.since = since
                $0.until = until
                $0.accountID = account
                $0.method = method
                $0.pageSize = limit
            }
            let (entries, more) = try await session.pages(all: all) { token in
                request.pageToken = token
                let reply = try await session.call(Coi_Identity_V1_Audit.Method.list, request)
                return (reply.entries, reply.nextPageToken)
            }
            if options.json {
                Output.json(entries.map(IdentityFormat.json))
            } else {
                Output.table(["SEQ", "TIME", "PRINCIPAL", "ACT AS", "METHOD", "TARGET", "OUTCOME"], entries.map {
                    ["\($0.sequence)", $0.time, $0.principal, IdentityFormat.cell($0.actAs), $0.method,
                     IdentityFormat.cell($0.target), $0.outcome]
                })
            }
            if more { Output.error("more entries follow: use --all to fetch every page") }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain of the audit log.",
            discussion: "Exits 0 when the chain is intact, 1 with the first bad entry when it is not.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            let reply = try await session.call(Coi_Identity_V1_Audit.Method.verify, Coi_Identity_V1_VerifyAuditRequest())
            if options.json {
                Output.json(["ok": reply.ok, "entries": Int(reply.entries), "first_bad_sequence": Int(reply.firstBadSequence),
                             "problem": reply.problem] as [String: Any])
            } else if reply.ok {
                print("ok: \(reply.entries) \(reply.entries == 1 ? "entry" : "entries"), chain intact")
            }
            guard reply.ok else {
                Output.error("audit log broken at entry \(reply.firstBadSequence): \(reply.problem)")
                Output.error("\(reply.entries) \(reply.entries == 1 ? "entry" : "entries") before it verified")
                throw ExitCode.failure
            }
        }
    }
}
