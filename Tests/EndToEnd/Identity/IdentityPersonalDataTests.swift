import Foundation
import Testing

/// Right of access (`accounts export`) and erasure (`accounts erase`) against the real daemon.
@Suite struct IdentityPersonalDataTests {
    @Test func pluginsDataJoinsTheExportAndFollowsTheErasure() async throws {
        let cli = try await IdentityCLI.start()
        let bo = try await cli.add("Bo Berg", ["--role", "member"])
        let secret = try await cli.issue(bo)
        _ = try await cli.ok(["call", "coi.wiki.v1.Pages/Save", #"{"title": "Idébank", "text": "Første udgave"}"#], token: secret)

        let document = try await cli.object(["accounts", "export", bo])
        let plugins = try #require(document["plugins"] as? [String: Any])
        let wiki = try #require(plugins["coi.wiki"], "\(plugins.keys)")
        #expect("\(wiki)".contains("Idébank"))

        _ = try await cli.ok(["accounts", "erase", bo, "--yes"])
        let history = try await cli.object(["call", "coi.wiki.v1.Pages/History", #"{"title": "Idébank"}"#])
        let revisions = try #require(history["revisions"] as? [[String: Any]])
        #expect(revisions.map { $0["author_name"] as? String } == ["former contributor 1"])
        #expect(revisions.first?["author_id"] as? String == bo)
    }

    @Test func exportHoldsEverythingAndEraseLeavesAFormerContributor() async throws {
        let cli = try await IdentityCLI.start()
        let anna = try await cli.add("Anna Jensen", ["--email", "anna@aarhus.dk", "--workplace", "Aarhus Kommune",
                                                     "--municipality", "751", "--os-user", "games", "--role", "moderator"])
        let secret = try await cli.issue(anna, ["--description", "Anna's laptop"])
        let tokenID = try #require(try await cli.array(["tokens", "ls", "--account", anna]).first?["id"] as? String)
        try await cli.rejected(["accounts", "add", "--name", "Mallory"], "PERMISSION_DENIED", token: secret)

        // Export: the account, its roles, tokens (never secrets) and its audit entries.
        let exported = try await cli.ok(["accounts", "export", anna])
        #expect(!exported.contains(secret))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(exported.utf8)) as? [String: Any])
        let account = try #require(document["account"] as? [String: Any])
        #expect(account["id"] as? String == anna)
        #expect(account["full_name"] as? String == "Anna Jensen")
        #expect(account["email"] as? String == "anna@aarhus.dk")
        #expect(account["workplace"] as? String == "Aarhus Kommune")
        #expect(account["os_user"] as? String == "games")
        #expect((document["roles"] as? [[String: Any]])?.map { $0["role"] as? String } == ["moderator"])
        let tokens = try #require(document["tokens"] as? [[String: Any]])
        #expect(tokens.map { $0["id"] as? String } == [tokenID])
        #expect(tokens.first?["description"] as? String == "Anna's laptop")
        let audit = try #require(document["audit"] as? [[String: Any]])
        #expect(audit.contains { $0["method"] as? String == "coi.identity.v1.Accounts/Create" && $0["target"] as? String == "account:\(anna)" })
        #expect(audit.contains { $0["principal"] as? String == "account:\(anna)" && $0["outcome"] as? String == "PERMISSION_DENIED" })

        // --output writes the same document, readable by its owner only.
        let file = cli.daemon.directory.appendingPathComponent("anna.json").path
        let written = try await cli.run(["accounts", "export", anna, "--output", file])
        #expect(written.status == 0 && written.stdout.isEmpty, "\(written)")
        let fromFile = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
        #expect((fromFile?["account"] as? [String: Any])?["email"] as? String == "anna@aarhus.dk")
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // Erase refuses without --yes, as a usage error, and changes nothing.
        let unconfirmed = try await cli.run(["accounts", "erase", anna])
        #expect(unconfirmed.status == 64 && unconfirmed.stderr.contains("--yes"), "\(unconfirmed)")
        #expect(try await cli.object(["accounts", "show", anna])["full_name"] as? String == "Anna Jensen")

        let erased = try await cli.ok(["accounts", "erase", anna, "--yes", "--reason", "asked to be forgotten"])
        #expect(erased.contains("former contributor 1"))
        let shown = try await cli.ok(["accounts", "show", anna])
        #expect(shown.contains("former contributor 1") && shown.contains("ERASED"), "\(shown)")
        #expect(!shown.contains("Anna") && !shown.contains("aarhus") && !shown.contains("games"))
        let after = try await cli.object(["accounts", "show", anna])
        #expect(after["full_name"] as? String == "former contributor 1")
        #expect(after["status"] as? String == "ERASED")
        #expect(after["email"] as? String == "" && after["workplace"] as? String == "" && after["os_user"] as? String == "")
        #expect(after["municipality_code"] as? Int == 0 && (after["roles"] as? [Any])?.isEmpty == true)
        // Her token died with her data; her audit entries keep the account id.
        try await cli.rejected(["whoami"], "UNAUTHENTICATED", token: secret)
        #expect(try await cli.array(["tokens", "ls", "--account", anna]).isEmpty)
        #expect(try await cli.array(["audit", "ls", "--account", anna]).count == 1)
        #expect(try await cli.array(["audit", "ls", "--method", "coi.identity.v1.Accounts/Erase"]).first?["target"] as? String == "account:\(anna)")
        let afterExport = try await cli.ok(["accounts", "export", anna])
        #expect(!afterExport.contains("Anna Jensen") && !afterExport.contains("anna@aarhus.dk") && !afterExport.contains("Anna's laptop"))

        // Erased is final; the Unix user is free again; the next erasure is number 2.
        try await cli.rejected(["accounts", "erase", anna, "--yes"], "FAILED_PRECONDITION")
        try await cli.rejected(["accounts", "resume", anna], "FAILED_PRECONDITION")
        let again = try await cli.add("Anna Jensen", ["--os-user", "games"])
        #expect(again != anna)
        let bo = try await cli.add("Bo Nielsen", ["--email", "bo@example.dk"])
        try await cli.ok(["accounts", "erase", bo, "--yes"])
        #expect(try await cli.object(["accounts", "show", bo])["full_name"] as? String == "former contributor 2")
        let erasedList = try await cli.array(["accounts", "ls", "--status", "erased"])
        #expect(erasedList.map { $0["full_name"] as? String } == ["former contributor 1", "former contributor 2"])
        try await cli.ok(["audit", "verify"])
        await cli.daemon.stop()
    }
}
