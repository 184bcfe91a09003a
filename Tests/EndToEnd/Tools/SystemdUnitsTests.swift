import Foundation
import Testing

@Suite struct SystemdUnitsTests {
    @Test func unitsVerifyCleanAndAreHardened() async throws {
        let script = repositoryRoot.appendingPathComponent("scripts/verify-systemd.sh").path
        let result = try await runCommand("/bin/bash", [script, DaemonProcess.coid])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("clean (no warnings)"))
        #expect(result.stdout.contains("Overall exposure level for coid.service"))
        #expect(result.stdout.contains("Overall exposure level for coid-tls.service"))
        for setting in ["an invalid config (exit 78) is not restarted", "reload checks the config first", "the HUP follows the check",
                        "Unix sockets only by default", "no IP traffic by default", "Documentation= names"] {
            #expect(result.stdout.contains("ok: \(setting)"), "\(setting): \(result.stdout)")
        }
    }

    /// What `ExecReload=` runs before the HUP: a broken file must fail the reload.
    @Test func reloadCheckFailsOnABrokenFile() async throws {
        let unit = try String(contentsOf: repositoryRoot.appendingPathComponent("systemd/coid.service"), encoding: .utf8)
        let check = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecReload=/usr/bin/coid ") })
        let arguments = check.dropFirst("ExecReload=/usr/bin/coid ".count).split(separator: " ").map(String.init)
        #expect(arguments == ["config", "check", "/etc/coid/coid.toml"])
        let dir = try DaemonProcess.makeDirectory()
        let broken = dir.appendingPathComponent("coid.toml")
        try "[server]\nmax_connections = \"many\"\n".write(to: broken, atomically: true, encoding: .utf8)
        let result = try await runCommand(DaemonProcess.coid, Array(arguments.dropLast()) + [broken.path])
        #expect(result.status == 78, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr.contains("max_connections"))
    }
}

@Suite struct ExampleConfigTests {
    @Test func exampleConfigIsValid() async throws {
        let example = repositoryRoot.appendingPathComponent("systemd/coid.toml.example").path
        let check = try await runCommand(DaemonProcess.coid, ["config", "check", example])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("socket = /run/coid/coid.sock"))
        #expect(check.stdout.contains("database = /var/lib/coid/coid.db"))
    }
}
