import Foundation
import Testing

@Suite struct SystemdUnitsTests {
    @Test func unitsVerifyCleanAndAreHardened() async throws {
        let script = repositoryRoot.appendingPathComponent("scripts/verify-systemd.sh").path
        let result = try await runCommand("/bin/bash", [script, DaemonProcess.coid])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("clean (no warnings)"))
        #expect(result.stdout.contains("Overall exposure level for coid.service"))
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
