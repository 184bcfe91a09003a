import Foundation
import Testing

/// The C client in clients/c shares no code with the server: it is built from the protos with
/// protoc-c and libprotobuf-c and talks to the real daemon.
@Suite(.serialized) struct CClientTests {
    @Test func echoHealthAndPipelinedStress() async throws {
        let dir = repositoryRoot.appendingPathComponent("clients/c").path
        let make = try await runCommand("/usr/bin/make", ["-s", "-C", dir, "coi-client"])
        try #require(make.status == 0, "make failed: \(make.stderr)")
        let client = dir + "/coi-client"
        let daemon = try await DaemonProcess()

        let echo = try await runCommand(client, ["--socket", daemon.socketPath, "echo", "Københavns Kommune"])
        #expect(echo.status == 0, "\(echo.stderr)")
        #expect(echo.stdout == "Københavns Kommune\n")

        let health = try await runCommand(client, ["--socket", daemon.socketPath, "health"])
        #expect(health.status == 0 && health.stdout == "SERVING\n")
        let unknown = try await runCommand(client, ["--socket", daemon.socketPath, "health", "coi.nope.v1.X"])
        #expect(unknown.status == 2 && unknown.stderr.contains("NOT_FOUND"))

        let stress = try await runCommand(client, ["--socket", daemon.socketPath, "stress", "2000"])
        #expect(stress.status == 0, "\(stress.stderr)")
        #expect(stress.stdout == "2000 ok\n")
        await daemon.stop()

        let gone = try await runCommand(client, ["--socket", daemon.socketPath, "echo", "x"])
        #expect(gone.status == 3)
    }
}
