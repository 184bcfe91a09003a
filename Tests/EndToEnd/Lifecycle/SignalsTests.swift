import COIProto
import COIWire
import Foundation
import Testing

@Suite(.serialized) struct SignalsTests {
    @Test func sigtermLetsInFlightCallsFinish() async throws {
        let daemon = try await DaemonProcess()
        let raw = try RawConnection(path: daemon.socketPath)
        // Frames are read in order: once the Echo sent after the Sleep is answered, the Sleep is
        // in flight on the server.
        try raw.sendRequest(1, service: "coi.core.v1.Diagnostics", method: "Sleep", payload: Coi_Core_V1_SleepRequest.with { $0.millis = 1500 })
        try raw.sendRequest(3, service: "coi.core.v1.Diagnostics", method: "Echo", payload: Coi_Core_V1_EchoRequest())
        let echo = try raw.readResponse()
        #expect(echo.streamID == 3 && echo.response.status.code == 0)
        daemon.signal(SIGTERM)
        let slow = try raw.readResponse()
        #expect(slow.streamID == 1 && slow.response.status.code == 0, "\(slow.response.status.message)")
        #expect(await daemon.waitForExit() == 0)
        #expect(daemon.log.contains("coid stopped"))
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "the socket file is removed on exit")
    }

    @Test func sighupReloadsLimitsAndLogLevel() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let config = dir.appendingPathComponent("coid.toml")
        try "log_level = \"info\"\n[server]\nmax_concurrent_streams = 100\n".write(to: config, atomically: true, encoding: .utf8)
        let daemon = try await DaemonProcess(directory: dir, extraArguments: ["--config", config.path])
        try "log_level = \"debug\"\n[server]\nmax_concurrent_streams = 1\n[database]\nsynchronous = \"normal\"\n"
            .write(to: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        for _ in 0..<500 where !daemon.log.contains("configuration reloaded") { try await Task.sleep(for: .milliseconds(20)) }
        #expect(daemon.log.contains("configuration reloaded"))
        #expect(daemon.log.contains("database.synchronous"), "a restart-only change is logged")
        // With the new cap of 1, a second stream opened while the first runs is refused; frames are
        // read in order, so the Sleep is running when the Echo arrives.
        let raw = try RawConnection(path: daemon.socketPath)
        try raw.sendRequest(1, service: "coi.core.v1.Diagnostics", method: "Sleep", payload: Coi_Core_V1_SleepRequest.with { $0.millis = 1000 })
        try raw.sendRequest(3, service: "coi.core.v1.Diagnostics", method: "Echo", payload: Coi_Core_V1_EchoRequest())
        let refused = try raw.readResponse()
        #expect(refused.streamID == 3 && refused.response.status.code == StatusCode.resourceExhausted.rawValue)
        let first = try raw.readResponse()
        #expect(first.streamID == 1 && first.response.status.code == 0)
        await daemon.stop()
    }

    @Test func invalidConfigStopsStartUpNamingFileKeyAndReason() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let config = dir.appendingPathComponent("bad.toml")
        try "[server]\nmax_connections = \"many\"\n".write(to: config, atomically: true, encoding: .utf8)
        let daemon = try await DaemonProcess(directory: dir, extraArguments: ["--config", config.path], waitForSocket: false)
        #expect(await daemon.waitForExit() == 78)
        #expect(daemon.log.contains(config.path))
        #expect(daemon.log.contains("server.max_connections"))
        #expect(daemon.log.contains("must be an integer"))

        try "[server]\nmax_conections = 5\n".write(to: config, atomically: true, encoding: .utf8)
        let typo = try await DaemonProcess(directory: dir, extraArguments: ["--config", config.path], waitForSocket: false)
        #expect(await typo.waitForExit() == 78)
        #expect(typo.log.contains("server.max_conections: unknown key"))
    }

    @Test func defaultConfigIsValidAndLoads() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let printed = try await runCommand(DaemonProcess.coid, ["config", "default"])
        #expect(printed.status == 0)
        #expect(printed.stdout.contains("[server]"))
        let file = dir.appendingPathComponent("default.toml")
        try printed.stdout.write(to: file, atomically: true, encoding: .utf8)
        let check = try await runCommand(DaemonProcess.coid, ["config", "check", file.path])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test func secondDaemonOnTheSameSocketIsRefused() async throws {
        let daemon = try await DaemonProcess()
        let dir = try DaemonProcess.makeDirectory()
        let second = try await DaemonProcess(directory: dir, extraArguments: ["--socket", daemon.socketPath], waitForSocket: false)
        #expect(await second.waitForExit() != 0)
        #expect(second.log.contains("already listening"))
        let client = try await daemon.connect()
        _ = try await client.call(Coi_Core_V1_Diagnostics.Method.echo, Coi_Core_V1_EchoRequest())
        await daemon.stop()
    }
}
