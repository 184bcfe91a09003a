import Foundation
import Testing

/// Bearer tokens and act-as through `coictl --token` / `--act-as`, against the real daemon.
@Suite struct IdentityTokensTests {
    @Test func issuedTokenAuthenticatesUntilRevoked() async throws {
        let cli = try await IdentityCLI.start()
        let anna = try await cli.add("Anna Jensen", ["--role", "moderator"])

        // The secret is printed once, on stdout alone; stderr says it cannot be shown again.
        let issued = try await cli.run(["tokens", "issue", anna, "--description", "Anna's laptop", "--expires-in", "90d"])
        #expect(issued.status == 0, "\(issued.stderr)")
        let secret = issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("coi_") && !secret.contains("\n"))
        #expect(issued.stderr.contains("cannot be shown again") && !issued.stderr.contains(secret))

        // A call with the token is Anna's.
        let whoami = try await cli.object(["whoami"], token: secret)
        #expect(whoami["principal"] as? String == "account:\(anna)")
        #expect((whoami["account"] as? [String: Any])?["id"] as? String == anna)
        #expect(whoami["admin"] as? Bool == false)
        #expect((whoami["permissions"] as? [String])?.contains("identity.accounts.read") == true)
        let table = try await cli.ok(["whoami"], token: secret)
        #expect(table.contains("account:\(anna)") && table.contains("Anna Jensen"))
        // The token overrides the (admin) peer credentials, and works from $COI_TOKEN too.
        let listed = try await cli.array(["accounts", "ls"], token: secret)
        #expect(listed.map { $0["id"] as? String } == [anna])
        let viaEnv = try await cli.run(["whoami", "--json"], environment: ["COI_TOKEN": secret])
        #expect(viaEnv.status == 0 && viaEnv.stdout.contains("account:\(anna)"), "\(viaEnv)")

        // Listed by id, never by secret.
        let tokens = try await cli.array(["tokens", "ls", "--account", anna])
        let token = try #require(tokens.first)
        let tokenID = try #require(token["id"] as? String)
        #expect(tokens.count == 1 && tokenID.hasPrefix("tok_"))
        #expect(token["description"] as? String == "Anna's laptop" && (token["expires_at"] as? String)?.isEmpty == false)
        #expect(token["last_used_at"] as? String != "")
        let tokensTable = try await cli.ok(["tokens", "ls"])
        #expect(tokensTable.contains(tokenID) && !tokensTable.contains(secret))

        // --json gives the token and the secret together.
        let second = try await cli.object(["tokens", "issue", anna])
        #expect((second["secret"] as? String)?.hasPrefix("coi_") == true)
        #expect((second["token"] as? [String: Any])?["account_id"] as? String == anna)

        // Revoked: the very next call fails, and the secret is never echoed.
        let revoked = try await cli.ok(["tokens", "revoke", tokenID])
        #expect(revoked.contains(tokenID))
        try await cli.rejected(["whoami"], "UNAUTHENTICATED", mentions: ["revoked"], token: secret)
        try await cli.rejected(["accounts", "ls"], "UNAUTHENTICATED", token: secret)
        #expect(try await cli.array(["tokens", "ls", "--account", anna]).count == 1)
        let withRevoked = try await cli.array(["tokens", "ls", "--account", anna, "--revoked"])
        #expect(withRevoked.count == 2 && withRevoked.contains { $0["id"] as? String == tokenID && $0["revoked_at"] as? String != "" })

        // A secret that was never issued, and a malformed one.
        try await cli.rejected(["whoami"], "UNAUTHENTICATED", token: "coi_thisWasNeverIssuedByThisServer0000000000000")
        try await cli.rejected(["tokens", "revoke", "tok_nothere"], "NOT_FOUND")
        let secretAsID = try await cli.run(["tokens", "revoke", secret])
        #expect(secretAsID.status == 64 && !secretAsID.stderr.contains(secret))
        await cli.daemon.stop()
    }

    @Test func suspendedAccountsTokenIsRejectedUntilResumed() async throws {
        let cli = try await IdentityCLI.start()
        let anna = try await cli.add("Anna Jensen")
        let secret = try await cli.issue(anna)
        try await cli.ok(["roles", "ls"], token: secret)

        try await cli.ok(["accounts", "suspend", anna])
        try await cli.rejected(["roles", "ls"], "UNAUTHENTICATED", mentions: ["suspended"], token: secret)
        try await cli.rejected(["whoami"], "UNAUTHENTICATED", token: secret)
        // No new tokens for a suspended account either.
        try await cli.rejected(["tokens", "issue", anna], "FAILED_PRECONDITION")

        try await cli.ok(["accounts", "resume", anna])
        #expect(try await cli.object(["whoami"], token: secret)["principal"] as? String == "account:\(anna)")
        try await cli.ok(["roles", "ls"], token: secret)
        await cli.daemon.stop()
    }

    /// Issue 13 item 9: a person lists and revokes their own tokens and exports their own data
    /// without any identity permission; another person's stay out of reach; an admin still can.
    @Test func selfServiceTokensAndExport() async throws {
        let cli = try await IdentityCLI.start()
        let anna = try await cli.add("Anna Jensen")
        let soeren = try await cli.add("Søren Ærø")
        let first = try await cli.issue(anna)
        let second = try await cli.issue(anna)
        let theirs = try await cli.issue(soeren)
        let mine = try await cli.array(["tokens", "ls"], token: first)
        #expect(mine.count == 2 && mine.allSatisfy { $0["account_id"] as? String == anna }, "\(mine)")
        try await cli.rejected(["tokens", "ls", "--account", soeren], "PERMISSION_DENIED", mentions: ["identity.tokens.manage"], token: first)
        let soerensToken = try #require(try await cli.array(["tokens", "ls", "--account", soeren]).first?["id"] as? String)
        try await cli.rejected(["tokens", "revoke", soerensToken], "PERMISSION_DENIED", token: first)
        #expect(try await cli.ok(["whoami"], token: theirs).contains(soeren), "Søren's token still works")
        let secondID = try #require(mine.map { $0["id"] as? String }.last ?? nil)
        try await cli.ok(["tokens", "revoke", secondID], token: first)
        try await cli.rejected(["whoami"], "UNAUTHENTICATED", token: second)

        let exported = try await cli.ok(["accounts", "export"], token: first)
        #expect(exported.contains(anna) && exported.contains("Anna Jensen") && !exported.contains("Søren"))
        #expect(try await cli.ok(["accounts", "export", anna], token: first).contains("Anna Jensen"))
        try await cli.rejected(["accounts", "export", soeren], "PERMISSION_DENIED", mentions: ["identity.accounts.personal-data"], token: first)
        // An admin (root on the socket) still can, for anyone.
        #expect(try await cli.ok(["accounts", "export", soeren]).contains("Søren Ærø"))
        #expect(try await cli.array(["tokens", "ls"]).count == 2)
        await cli.daemon.stop()
    }

    @Test func memberTokenIsDeniedAdminCalls() async throws {
        let cli = try await IdentityCLI.start()
        let anna = try await cli.add("Anna Jensen")
        let secret = try await cli.issue(anna)
        // Every active person is a member: identified, but without identity permissions.
        let roles = try await cli.ok(["roles", "ls"], token: secret)
        #expect(roles.contains("member") && roles.contains("identity.integration"))
        try await cli.rejected(["accounts", "ls"], "PERMISSION_DENIED", mentions: ["identity.accounts.read"], token: secret)
        try await cli.rejected(["accounts", "show", anna], "PERMISSION_DENIED", token: secret)
        try await cli.rejected(["accounts", "add", "--name", "Mallory"], "PERMISSION_DENIED", token: secret)
        try await cli.rejected(["tokens", "issue", anna], "PERMISSION_DENIED", token: secret)
        try await cli.rejected(["roles", "bind", anna, "admin"], "PERMISSION_DENIED", token: secret)
        try await cli.rejected(["audit", "ls"], "PERMISSION_DENIED", token: secret)
        #expect(try await cli.array(["accounts", "ls"]).count == 1)

        // Bound to moderator, the same token may read accounts; unbound, it may not again.
        try await cli.ok(["roles", "bind", anna, "moderator"])
        #expect(try await cli.array(["accounts", "ls"], token: secret).count == 1)
        try await cli.ok(["roles", "unbind", anna, "moderator"])
        try await cli.rejected(["accounts", "ls"], "PERMISSION_DENIED", token: secret)
        await cli.daemon.stop()
    }

    @Test func integrationActsForAPerson() async throws {
        let cli = try await IdentityCLI.start()
        let anna = try await cli.add("Anna Jensen")
        let website = try await cli.add("Kampagnesiden", ["--service", "--role", "integration"])
        let websiteToken = try await cli.issue(website)

        let acting = try await cli.object(["whoami"], token: websiteToken, actAs: anna)
        #expect(acting["acting_for"] as? String == anna)
        #expect(acting["principal"] as? String == "account:\(website)")
        #expect((acting["account"] as? [String: Any])?["id"] as? String == anna)
        #expect(acting["admin"] as? Bool == false)
        let table = try await cli.ok(["whoami"], token: websiteToken, actAs: anna)
        #expect(table.contains("acting for") && table.contains(anna))
        // Without act-as, the system is itself.
        let itself = try await cli.object(["whoami"], token: websiteToken)
        #expect(itself["acting_for"] as? String == "" && (itself["account"] as? [String: Any])?["id"] as? String == website)

        // Only for persons.
        try await cli.rejected(["whoami"], "PERMISSION_DENIED", mentions: ["coi-act-as"], token: websiteToken, actAs: website)
        try await cli.rejected(["whoami"], "PERMISSION_DENIED", token: websiteToken, actAs: "acc_nobody")

        // A system without the integration role may not act for anyone.
        let other = try await cli.add("HR-systemet", ["--service"])
        let otherToken = try await cli.issue(other)
        try await cli.rejected(["whoami"], "PERMISSION_DENIED", mentions: ["identity.act-as"], token: otherToken, actAs: anna)
        // Given the role, it may.
        try await cli.ok(["roles", "bind", other, "integration"])
        #expect(try await cli.object(["whoami"], token: otherToken, actAs: anna)["acting_for"] as? String == anna)
        // Acting for a person gives the person's rights, not the system's: no act-as of act-as, no admin.
        try await cli.rejected(["accounts", "ls"], "PERMISSION_DENIED", token: otherToken, actAs: anna)
        await cli.daemon.stop()
    }
}
