import Foundation
import Testing

/// `coictl accounts …` against the real daemon, as a local admin.
@Suite struct IdentityAccountsTests {
    @Test func addListShowUpdateSuspendAndResume() async throws {
        let cli = try await IdentityCLI.start()
        let anna = try await cli.add("Anna Jensen", ["--email", "anna@aarhus.dk", "--workplace", "Aarhus Kommune",
                                                     "--municipality", "751", "--os-user", "games"])
        let system = try await cli.add("Kampagnesiden", ["--service", "--role", "integration"])

        let shown = try await cli.ok(["accounts", "show", anna])
        for text in ["Anna Jensen", "anna@aarhus.dk", "Aarhus Kommune", "751", "games", "PERSON", "ACTIVE", "unix:uid=0(root)"] {
            #expect(shown.contains(text), "\(text) missing from:\n\(shown)")
        }
        let account = try await cli.object(["accounts", "show", anna])
        #expect(account["id"] as? String == anna)
        #expect(account["full_name"] as? String == "Anna Jensen")
        #expect(account["municipality_code"] as? Int == 751)
        #expect(account["status"] as? String == "ACTIVE")
        let service = try await cli.object(["accounts", "show", system])
        #expect(service["kind"] as? String == "SERVICE")
        #expect((service["roles"] as? [[String: Any]])?.map { $0["role"] as? String } == ["identity.integration"])

        // --json on add prints the whole account.
        let added = try await cli.object(["accounts", "add", "--name", "Bo Nielsen", "--email", "bo@example.dk"])
        let bo = try #require(added["id"] as? String)
        #expect(added["email"] as? String == "bo@example.dk" && added["created_by"] as? String == "unix:uid=0(root)")

        let table = try await cli.ok(["accounts", "ls"])
        #expect(table.contains(anna) && table.contains(system) && table.contains(bo) && table.contains("Kampagnesiden"))
        #expect(try await cli.array(["accounts", "ls"]).count == 3)
        #expect(try await cli.array(["accounts", "ls", "--kind", "service"]).map { $0["id"] as? String } == [system])
        #expect(try await cli.array(["accounts", "ls", "--kind", "person"]).map { $0["id"] as? String } == [anna, bo])
        #expect(try await cli.array(["accounts", "ls", "--query", "JENSEN"]).map { $0["id"] as? String } == [anna])
        #expect(try await cli.array(["accounts", "ls", "--query", "example.dk"]).map { $0["id"] as? String } == [bo])

        // Only the options given change.
        let updated = try await cli.object(["accounts", "update", anna, "--email", "anna@kk.dk", "--municipality", "101"])
        #expect(updated["email"] as? String == "anna@kk.dk")
        #expect(updated["municipality_code"] as? Int == 101)
        #expect(updated["full_name"] as? String == "Anna Jensen" && updated["workplace"] as? String == "Aarhus Kommune")
        #expect(updated["os_user"] as? String == "games")

        let suspended = try await cli.ok(["accounts", "suspend", anna, "--reason", "left the project"])
        #expect(suspended.contains("SUSPENDED"))
        #expect(try await cli.object(["accounts", "show", anna])["status"] as? String == "SUSPENDED")
        #expect(try await cli.array(["accounts", "ls", "--status", "suspended"]).map { $0["id"] as? String } == [anna])
        #expect(try await cli.array(["accounts", "ls", "--status", "active"]).map { $0["id"] as? String } == [system, bo])

        try await cli.ok(["accounts", "resume", anna])
        #expect(try await cli.object(["accounts", "show", anna])["status"] as? String == "ACTIVE")
        #expect(try await cli.array(["accounts", "ls", "--status", "suspended"]).isEmpty)
        await cli.daemon.stop()
    }

    @Test func validationErrorsNameTheField() async throws {
        let cli = try await IdentityCLI.start()
        try await cli.rejected(["accounts", "add", "--name", ""], "INVALID_ARGUMENT", mentions: ["full_name"])
        try await cli.rejected(["accounts", "add", "--name", "   "], "INVALID_ARGUMENT", mentions: ["full_name"])
        try await cli.rejected(["accounts", "add", "--name", "Anna Jensen", "--municipality", "999"], "INVALID_ARGUMENT",
                               mentions: ["municipality_code", "999"])
        try await cli.rejected(["accounts", "add", "--name", "Anna Jensen", "--email", "not-an-address"], "INVALID_ARGUMENT",
                               mentions: ["email"])
        try await cli.rejected(["accounts", "add", "--name", "Anna Jensen", "--role", "emperor"], "INVALID_ARGUMENT",
                               mentions: ["roles[0]"])

        let anna = try await cli.add("Anna Jensen", ["--os-user", "lp"])
        try await cli.rejected(["accounts", "add", "--name", "Anna Other", "--os-user", "lp"], "ALREADY_EXISTS",
                               mentions: ["os_user", anna])
        let bo = try await cli.add("Bo Nielsen")
        try await cli.rejected(["accounts", "update", bo, "--os-user", "lp"], "ALREADY_EXISTS", mentions: ["os_user"])
        try await cli.rejected(["accounts", "update", bo, "--municipality", "999"], "INVALID_ARGUMENT", mentions: ["municipality_code"])
        try await cli.rejected(["accounts", "show", "acc_nobody"], "NOT_FOUND")
        // Issue 13 item 11: a link to a Unix user that does not exist could never match.
        try await cli.rejected(["accounts", "add", "--name", "Ida Ørum", "--os-user", "ingen_saadan"], "INVALID_ARGUMENT",
                               mentions: ["os_user", "ingen_saadan"])
        try await cli.rejected(["accounts", "update", bo, "--os-user", "ingen_saadan"], "INVALID_ARGUMENT", mentions: ["os_user"])
        // Nothing rejected was created.
        #expect(try await cli.array(["accounts", "ls"]).map { $0["id"] as? String } == [anna, bo])

        // Usage errors are 64 and never reach the server.
        let nothing = try await cli.run(["accounts", "update", bo])
        #expect(nothing.status == 64 && nothing.stderr.contains("--email"), "\(nothing)")
        let badKind = try await cli.run(["accounts", "ls", "--kind", "robot"])
        #expect(badKind.status == 64)
        let badDuration = try await cli.run(["tokens", "issue", bo, "--expires-in", "soon"])
        #expect(badDuration.status == 64)
        await cli.daemon.stop()
    }

    @Test func listFollowsEveryPageWithAll() async throws {
        let cli = try await IdentityCLI.start()
        var ids: [String] = []
        for index in 1...7 {
            ids.append(try await cli.add("Person \(index)", ["--email", "p\(index)@example.dk"]))
        }
        // One page without --all, and a note that more follow: for people on stderr; with --json and an
        // explicit page size, a last line naming the next page's token.
        let first = try await cli.run(["accounts", "ls", "--limit", "2", "--json"])
        #expect(first.status == 0)
        let firstPage = try jsonLines(first.stdout) as [[String: Any]]?
        #expect(firstPage?.prefix(2).map { $0["id"] as? String } == Array(ids.prefix(2)))
        #expect(firstPage?.count == 3 && firstPage?.last?["next_page_token"] as? String != nil)
        let firstTable = try await cli.run(["accounts", "ls", "--limit", "2"])
        #expect(firstTable.stderr.contains("--all"))

        // Four pages of two, in order, each account once.
        let all = try await cli.run(["accounts", "ls", "--limit", "2", "--all", "--json"])
        #expect(all.status == 0, "\(all.stderr)")
        let every = try jsonLines(all.stdout) as [[String: Any]]?
        #expect(every?.map { $0["id"] as? String } == ids)
        #expect(!all.stderr.contains("--all"))

        let table = try await cli.ok(["accounts", "ls", "--limit", "2", "--all"])
        #expect(ids.allSatisfy { table.contains($0) })
        // Filters apply on every page.
        let filtered = try await cli.array(["accounts", "ls", "--limit", "1", "--all", "--query", "Person"])
        #expect(filtered.count == 7)
        try await cli.rejected(["accounts", "ls", "--limit", "501"], "INVALID_ARGUMENT", mentions: ["page_size"])
        await cli.daemon.stop()
    }
}
