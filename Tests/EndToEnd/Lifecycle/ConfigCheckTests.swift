import Foundation
import Testing

/// `coid config check` on the identity and anonymous-read keys.
@Suite struct ConfigCheckTests {
    @Test func identityKeysAreCheckedAndShown() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let good = dir.appendingPathComponent("good.toml")
        try """
            [plugins."coi.identity"]
            admin_group = "wheel"
            rate_limit_per_second = 50
            [plugins."coi.wiki"]
            anonymous_read = true
            """.write(to: good, atomically: true, encoding: .utf8)
        let ok = try await runCommand(DaemonProcess.coid, ["config", "check", good.path])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("admin_group = wheel") && ok.stdout.contains("anonymous_read = coi.wiki") && ok.stdout.contains("tls = off"))

        let typo = dir.appendingPathComponent("typo.toml")
        try "[plugins.\"coi.identity\"]\nrate_limit_per_secnd = 5\n".write(to: typo, atomically: true, encoding: .utf8)
        let bad = try await runCommand(DaemonProcess.coid, ["config", "check", typo.path])
        #expect(bad.status == 78)
        #expect(bad.stderr.contains("rate_limit_per_secnd") && bad.stderr.contains("unknown key"), "\(bad.stderr)")

        let wrong = dir.appendingPathComponent("wrong.toml")
        try "[plugins.\"coi.wiki\"]\nanonymous_read = \"yes\"\n".write(to: wrong, atomically: true, encoding: .utf8)
        let notBool = try await runCommand(DaemonProcess.coid, ["config", "check", wrong.path])
        #expect(notBool.status == 78 && notBool.stderr.contains("anonymous_read") && notBool.stderr.contains("boolean"), "\(notBool.stderr)")
    }
}
