import Foundation
import Testing

@Suite(.serialized) struct CoictlTests {
    func coictl(_ daemon: DaemonProcess, _ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await runCommand(DaemonProcess.coictl, ["--socket", daemon.socketPath] + arguments)
    }

    @Test func everyCommandAgainstTheRealDaemon() async throws {
        let daemon = try await DaemonProcess()
        let status = try await runCommand(DaemonProcess.coictl, ["status", "--socket", daemon.socketPath])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("SERVING"))
        #expect(status.stdout.contains(daemon.socketPath))

        let health = try await runCommand(DaemonProcess.coictl, ["health", "--socket", daemon.socketPath])
        #expect(health.status == 0 && health.stdout == "SERVING\n")
        let unknown = try await runCommand(DaemonProcess.coictl, ["health", "coi.nope.v1.X", "--socket", daemon.socketPath])
        #expect(unknown.status == 1 && unknown.stderr.contains("NOT_FOUND"))

        let plugins = try await runCommand(DaemonProcess.coictl, ["plugins", "ls", "--socket", daemon.socketPath])
        #expect(plugins.stdout.contains("coi.core") && plugins.stdout.contains("ok"))
        let pluginsJSON = try await runCommand(DaemonProcess.coictl, ["plugins", "ls", "--json", "--socket", daemon.socketPath])
        let parsed = try jsonLines(pluginsJSON.stdout) as [[String: Any]]?
        #expect(parsed?.first?["id"] as? String == "coi.core")

        let version = try await runCommand(DaemonProcess.coictl, ["version", "--socket", daemon.socketPath])
        #expect(version.stdout.contains("coictl 0.1.0") && version.stdout.contains("coid 0.1.0"))
        await daemon.stop()
    }

    @Test func callEncodesJSONThroughReflection() async throws {
        let daemon = try await DaemonProcess()
        let echo = try await runCommand(DaemonProcess.coictl, ["call", "--socket", daemon.socketPath,
                                                          "coi.core.v1.Diagnostics/Echo", #"{"message":"Århus og Aalborg"}"#])
        #expect(echo.status == 0, "\(echo.stderr)")
        let reply = try JSONSerialization.jsonObject(with: Data(echo.stdout.utf8)) as? [String: Any]
        #expect(reply?["message"] as? String == "Århus og Aalborg")

        let stream = try await runCommand(DaemonProcess.coictl, ["call", "--socket", daemon.socketPath,
                                                            "coi.core.v1.Diagnostics/EchoStream", #"{"message":"x","repeat":3}"#])
        #expect(stream.stdout.split(separator: "\n").count == 3)

        let collect = try await runCommand(DaemonProcess.coictl, ["call", "--socket", daemon.socketPath, "coi.core.v1.Diagnostics/EchoCollect", "-"],
                                     input: #"[{"message":"a"},{"message":"b"}]"#)
        #expect(collect.stdout.contains(#"a\nb"#), "\(collect.stdout) \(collect.stderr)")

        let rejected = try await runCommand(DaemonProcess.coictl, ["call", "--socket", daemon.socketPath,
                                                              "coi.core.v1.Diagnostics/Sleep", #"{"millis":700000}"#])
        #expect(rejected.status == 1)
        #expect(rejected.stderr.contains("INVALID_ARGUMENT") && rejected.stderr.contains("millis"))

        let badJSON = try await runCommand(DaemonProcess.coictl, ["call", "--socket", daemon.socketPath,
                                                             "coi.core.v1.Diagnostics/Echo", #"{"mesage":"x"}"#])
        #expect(badJSON.status != 0 && badJSON.stderr.contains("mesage"))
        await daemon.stop()
    }

    @Test func cannotConnectIsTellableFromRejected() async throws {
        let missing = try await runCommand(DaemonProcess.coictl, ["status", "--socket", "/tmp/coid-e2e-nowhere/coid.sock"])
        #expect(missing.status == 69)
        #expect(missing.stderr.contains("cannot connect"))
    }

    @Test func socketDefaultsToCOISocketThenTheLocalStateDirectory() async throws {
        let daemon = try await DaemonProcess()
        let viaEnv = try await runCommand(DaemonProcess.coictl, ["health"], environment: ["COI_SOCKET": daemon.socketPath])
        #expect(viaEnv.status == 0)
        // The README's run command puts the socket in ./.state/coid.sock; coictl finds it from there.
        let work = try DaemonProcess.makeDirectory()
        try FileManager.default.createDirectory(at: work.appendingPathComponent(".state"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: work.appendingPathComponent(".state/coid.sock").path,
                                                   withDestinationPath: daemon.socketPath)
        let local = try await runCommand(DaemonProcess.coictl, ["health"], directory: work.path)
        #expect(local.status == 0, "\(local.stderr)")
        await daemon.stop()
    }
}
