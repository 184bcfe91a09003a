import COIProto
import COIWire
import Foundation
import Testing

/// Failed authentication and refused permissions reach the journal at notice (`<5>`) with the peer
/// and without the secret, within a rate limit, and are all counted in metrics.
@Suite struct SecurityEventsTests {
    @Test func refusalsAreLoggedAtNoticeWithThePeerNeverTheSecretAndRateLimited() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let config = dir.appendingPathComponent("coid.toml")
        try """
            [plugins."coi.identity"]
            security_log_per_minute = 1
            security_log_burst = 6
            """.write(to: config, atomically: true, encoding: .utf8)
        let cli = IdentityCLI(daemon: try await DaemonProcess(directory: dir, extraArguments: ["--config", config.path]))
        let member = try await cli.add("Karen Æbelø", ["--role", "member"])
        let memberToken = try await cli.issue(member)
        let issued = try await cli.object(["tokens", "issue", member])
        let revokedToken = try #require(issued["secret"] as? String)
        let revokedID = try #require((issued["token"] as? [String: Any])?["id"] as? String)
        _ = try await cli.ok(["tokens", "revoke", revokedID])
        let expiringToken = try await cli.issue(member, ["--expires-in", "1s"])
        let suspended = try await cli.add("Ole Østergård", ["--role", "member"])
        let suspendedToken = try await cli.issue(suspended)
        _ = try await cli.ok(["accounts", "suspend", suspended, "--reason", "fratrådt"])
        try await Task.sleep(for: .seconds(2))
        let unknownSecret = "coi_ThisIsNotARealSecret0123456789"

        try await cli.rejected(["whoami"], "UNAUTHENTICATED", mentions: ["unknown token"], token: unknownSecret)
        try await cli.rejected(["whoami"], "UNAUTHENTICATED", mentions: ["revoked"], token: revokedToken)
        try await cli.rejected(["whoami"], "UNAUTHENTICATED", mentions: ["expired"], token: expiringToken)
        try await cli.rejected(["whoami"], "UNAUTHENTICATED", mentions: ["suspended"], token: suspendedToken)
        try await cli.rejected(["accounts", "ls"], "PERMISSION_DENIED", token: memberToken)

        let log = cli.daemon.log
        let events = log.split(separator: "\n").filter { $0.contains("authentication failed") || $0.contains("permission refused") }
        for reason in ["TOKEN_UNKNOWN", "TOKEN_REVOKED", "TOKEN_EXPIRED", "ACCOUNT_SUSPENDED"] {
            let line = try #require(events.first { $0.contains("reason=\(reason)") }, "no line for \(reason) in:\n\(log)")
            #expect(line.hasPrefix("<5>authentication failed"), "\(line)")
            #expect(line.contains("peer_uid=0") && line.contains("peer_pid="), "\(line)")
            #expect(line.contains("method=coi.identity.v1.Accounts/WhoAmI"), "\(line)")
        }
        let refused = try #require(events.first { $0.contains("permission refused") })
        #expect(refused.hasPrefix("<5>permission refused") && refused.contains("reason=PERMISSION_DENIED")
                && refused.contains("method=coi.identity.v1.Accounts/List") && refused.contains("caller="), "\(refused)")
        for secret in [unknownSecret, memberToken, revokedToken, expiringToken, suspendedToken] {
            #expect(!log.contains(secret), "a secret reached the log")
            #expect(!log.contains(String(secret.dropFirst(4))), "part of a secret reached the log")
        }

        // A flood of bad tokens: every one is counted, the journal gets the burst and no more.
        let connection = try await cli.daemon.connect()
        for _ in 0..<300 {
            await #expect(throws: RPCError.self) {
                _ = try await connection.call(Coi_Identity_V1_Accounts.Method.whoAmI, .init(),
                                              metadata: [(key: "authorization", value: "Bearer \(unknownSecret)")])
            }
        }
        await connection.close()
        let after = cli.daemon.log.split(separator: "\n").filter { $0.contains("authentication failed") || $0.contains("permission refused") }
        // Burst 6 at one a minute: the five above, then one or two more while the test runs.
        #expect(after.count <= 8, "\(after.count) security lines for 305 events")
        let metrics = try await cli.ok(["metrics"])
        #expect(metrics.contains(#"coid_authentication_failures_total{reason="TOKEN_UNKNOWN"} 301"#), "\(metrics)")
        #expect(metrics.contains(#"coid_authentication_failures_total{reason="TOKEN_REVOKED"} 1"#))
        #expect(metrics.contains(#"coid_authentication_failures_total{reason="ACCOUNT_SUSPENDED"} 1"#))
        #expect(metrics.contains(#"coid_permission_denials_total{service="coi.identity.v1.Accounts",method="List"} 1"#))
        let suppressed = try #require(metrics.split(separator: "\n").first { $0.hasPrefix("coid_security_log_suppressed_total ") })
        #expect((Int(suppressed.split(separator: " ")[1]) ?? 0) >= 305 - 8, "\(suppressed)")
        #expect(!metrics.contains(unknownSecret))
        await cli.daemon.stop()
    }
}
