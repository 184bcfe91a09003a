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

    /// With no argument `coid config check` checks what coid would run with: $COID_CONFIG, else the
    /// installed /etc/coid/coid.toml, else the defaults, and says which.
    @Test func checkWithoutArgumentChecksTheDefaultFile() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let good = dir.appendingPathComponent("good.toml")
        try "log_level = \"debug\"\n".write(to: good, atomically: true, encoding: .utf8)
        let ok = try await runCommand(DaemonProcess.coid, ["config", "check"], environment: ["COID_CONFIG": good.path])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("ok: \(good.path)") && ok.stdout.contains("log_level = debug"), "\(ok.stdout)")

        let bad = dir.appendingPathComponent("bad.toml")
        try "log_levle = \"debug\"\n".write(to: bad, atomically: true, encoding: .utf8)
        let refused = try await runCommand(DaemonProcess.coid, ["config", "check"], environment: ["COID_CONFIG": bad.path])
        #expect(refused.status == 78)
        #expect(refused.stderr.contains(bad.path) && refused.stderr.contains("log_levle"), "\(refused.stderr)")

        // The installed file is this machine's business: only the no-file case is checked here.
        if !FileManager.default.fileExists(atPath: "/etc/coid/coid.toml") {
            let none = try await runCommand(DaemonProcess.coid, ["config", "check"], directory: dir.path)
            #expect(none.status == 0, "\(none.stderr)")
            #expect(none.stdout.contains("no config file (/etc/coid/coid.toml does not exist"), "\(none.stdout)")
        }
    }
}
