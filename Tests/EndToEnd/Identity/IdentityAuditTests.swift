import Foundation
import Testing

/// `coictl audit ls` / `audit verify` against the real daemon, including a tampered database.
@Suite struct IdentityAuditTests {
    @Test func writesAreAuditedAndTamperingIsDetected() async throws {
        let cli = try await IdentityCLI.start()
        let anna = try await cli.add("Anna Jensen")
        let website = try await cli.add("Kampagnesiden", ["--service", "--role", "integration"])
        let annaToken = try await cli.issue(anna)
        let websiteToken = try await cli.issue(website)
        let tokens = try await cli.array(["tokens", "ls", "--account", anna])
        let annaTokenID = try #require(tokens.first?["id"] as? String)
        // A member's write is refused; so is one a system makes acting for her.
        try await cli.rejected(["accounts", "add", "--name", "Mallory"], "PERMISSION_DENIED", token: annaToken)
        try await cli.rejected(["accounts", "suspend", website], "PERMISSION_DENIED", token: websiteToken, actAs: anna)
        try await cli.rejected(["accounts", "add", "--name", ""], "INVALID_ARGUMENT")
        try await cli.ok(["accounts", "update", anna, "--workplace", "Odense Kommune"])
        // Reads are not audited.
        try await cli.ok(["accounts", "ls"])
        try await cli.ok(["whoami"], token: annaToken)

        let entries = try await cli.array(["audit", "ls", "--all", "--oldest-first"])
        func entry(_ method: String, _ outcome: String, principal: String? = nil) -> [String: Any]? {
            entries.first { $0["method"] as? String == "coi.identity.v1.\(method)" && $0["outcome"] as? String == outcome
                && (principal == nil || $0["principal"] as? String == principal) }
        }
        // Eight calls, after entry 1: the marker where the keyed chain starts.
        #expect(entries.count == 9, "\(entries)")
        #expect(entries.first?["method"] as? String == "coid/audit.key")
        #expect(entries.map { $0["sequence"] as? Int } == Array(1...entries.count).map { Optional($0) })
        #expect(entries.allSatisfy { ($0["hash"] as? String)?.count == 64 && ($0["time"] as? String)?.hasSuffix("Z") == true })

        let created = try #require(entry("Accounts/Create", "OK"))
        #expect(created["principal"] as? String == "unix:uid=0(root)")
        #expect(created["target"] as? String == "account:\(anna)")
        #expect(created["act_as"] as? String == "")
        let issued = try #require(entry("Tokens/Issue", "OK"))
        #expect(issued["target"] as? String == "token:\(annaTokenID)")
        let denied = try #require(entry("Accounts/Create", "PERMISSION_DENIED"))
        #expect(denied["principal"] as? String == "account:\(anna)")
        #expect(denied["act_as"] as? String == "")
        let deniedActing = try #require(entry("Accounts/SetStatus", "PERMISSION_DENIED"))
        #expect(deniedActing["principal"] as? String == "account:\(website)")
        #expect(deniedActing["act_as"] as? String == anna)
        let invalid = try #require(entry("Accounts/Create", "INVALID_ARGUMENT"))
        #expect(invalid["principal"] as? String == "unix:uid=0(root)")
        let updated = try #require(entry("Accounts/Update", "OK"))
        #expect(updated["target"] as? String == "account:\(anna)")
        #expect(!entries.contains { ($0["method"] as? String)?.hasSuffix("/List") == true || ($0["method"] as? String)?.hasSuffix("/WhoAmI") == true })

        // The table shows the same, and the filters narrow it.
        let table = try await cli.ok(["audit", "ls"])
        #expect(table.contains("PERMISSION_DENIED") && table.contains("account:\(website)") && table.contains("coi.identity.v1.Accounts/Create"))
        let byAnna = try await cli.array(["audit", "ls", "--account", anna])
        #expect(byAnna.count == 2 && byAnna.allSatisfy { $0["principal"] as? String == "account:\(anna)" || $0["act_as"] as? String == anna })
        let tokenWrites = try await cli.array(["audit", "ls", "--method", "coi.identity.v1.Tokens/"])
        #expect(tokenWrites.count == 2 && tokenWrites.allSatisfy { $0["method"] as? String == "coi.identity.v1.Tokens/Issue" })
        #expect(try await cli.array(["audit", "ls", "--method", "coi.identity.v1.Accounts/Create"]).count == 4)
        #expect(try await cli.array(["audit", "ls", "--since", "2020-01-01"]).count == entries.count)
        #expect(try await cli.array(["audit", "ls", "--until", "2020-01-01T00:00:00Z"]).isEmpty)
        #expect(try await cli.array(["audit", "ls", "--limit", "2", "--all", "--oldest-first"]).map { $0["sequence"] as? Int }
                == entries.map { $0["sequence"] as? Int })
        // Two entries, then the next page's token (asked for with --limit under --json).
        #expect(try await cli.array(["audit", "ls", "--limit", "2", "--oldest-first"]).filter { $0["sequence"] != nil }.count == 2)
        // Newest first unless asked otherwise, the newest --limit of them.
        #expect(try await cli.array(["audit", "ls", "--limit", "2"]).map { $0["sequence"] as? Int } == [entries.count, entries.count - 1])
        #expect(try await cli.array(["audit", "ls", "--all"]).map { $0["sequence"] as? Int } == entries.reversed().map { $0["sequence"] as? Int })
        try await cli.rejected(["audit", "ls", "--since", "last tuesday"], "INVALID_ARGUMENT", mentions: ["since"])

        let verified = try await cli.ok(["audit", "verify"])
        #expect(verified.trimmingCharacters(in: .whitespacesAndNewlines) == "ok: \(entries.count) entries, chain intact")
        let verifiedJSON = try await cli.object(["audit", "verify"])
        #expect(verifiedJSON["ok"] as? Bool == true && verifiedJSON["entries"] as? Int == entries.count)

        // Edit one entry behind the daemon's back, around the append-only trigger.
        #expect(await cli.daemon.stop() == 0)
        let database = cli.daemon.directory.appendingPathComponent("state/coid.db").path
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("DROP TRIGGER identity_audit_no_update")
            db.execute("UPDATE identity_audit SET target = 'account:acc_forged' WHERE sequence = 3")
            db.commit()
            """
        let tamper = try await runCommand("/usr/bin/env", ["python3", "-c", script, database])
        #expect(tamper.status == 0, "\(tamper.stderr)")
        try await cli.daemon.restart()

        let broken = try await cli.run(["audit", "verify"])
        #expect(broken.status == 1, "\(broken)")
        #expect(broken.stderr.contains("entry 3"), "\(broken.stderr)")
        #expect(!broken.stdout.contains("chain intact"))
        let brokenJSON = try await cli.run(["audit", "verify", "--json"])
        #expect(brokenJSON.status == 1)
        let verdict = try JSONSerialization.jsonObject(with: Data(brokenJSON.stdout.utf8)) as? [String: Any]
        #expect(verdict?["ok"] as? Bool == false)
        #expect(verdict?["first_bad_sequence"] as? Int == 3)
        #expect(verdict?["entries"] as? Int == 2)
        await cli.daemon.stop()
    }
}
