import COIProto
import COIWire
import Foundation
import Testing

/// sd_notify with a test NOTIFY_SOCKET, and socket activation with systemd-socket-activate.
@Suite(.serialized) struct SystemdTests {
    /// A datagram socket standing in for systemd's notify socket.
    final class NotifyListener {
        let fd: Int32
        let path: String
        init(path: String) throws {
            self.path = path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            if rc != 0 { throw DaemonError("bind notify socket: errno \(errno)") }
        }
        deinit { close(fd) }

        /// Reads messages until one contains `text` (or 20 s pass without any message).
        func waitFor(_ text: String, seen: inout [String]) -> Bool {
            while true {
                if seen.contains(where: { $0.contains(text) }) { return true }
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 20_000) > 0 else { return false }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 { seen.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
            }
        }
    }

    @Test func notifiesReadyWatchdogAndStopping() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let listener = try NotifyListener(path: dir.appendingPathComponent("notify.sock").path)
        let daemon = try await DaemonProcess(directory: dir, environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "200000"])
        var seen: [String] = []
        #expect(listener.waitFor("READY=1", seen: &seen))
        #expect(seen.contains { $0.contains("STATUS=serving") })
        #expect(listener.waitFor("WATCHDOG=1", seen: &seen))
        daemon.signal(SIGTERM)
        #expect(listener.waitFor("STOPPING=1", seen: &seen))
        #expect(await daemon.waitForExit() == 0)
    }

    @Test func servesOnASocketPassedBySystemd() async throws {
        let activate = "/usr/bin/systemd-socket-activate"
        try #require(FileManager.default.isExecutableFile(atPath: activate), "scripts/ensure-deps.sh installs systemd")
        let dir = try DaemonProcess.makeDirectory()
        let path = dir.appendingPathComponent("activated.sock").path
        let log = dir.appendingPathComponent("log").path
        let process = try ChildProcess(activate, ["-l", path, "--fdname=coid", DaemonProcess.coid,
                                                  "--state-dir", dir.appendingPathComponent("state").path,
                                                  "--socket", dir.appendingPathComponent("unused.sock").path],
                                       environment: childEnvironment(), stdout: log, stderr: log)
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: path) { try await Task.sleep(for: .milliseconds(20)) }
        // systemd-socket-activate starts coid on the first connection, passing the listening socket.
        let client = try await ClientConnection.connect(unixSocket: path)
        let server = try await client.call(Coi_Core_V1_Introspection.Method.server, Coi_Core_V1_ServerRequest(), timeout: .seconds(30))
        #expect(server.listeners == ["fd:3 (systemd coid)"])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("unused.sock").path))
        await client.close()
        process.signal(SIGTERM)
        #expect(await process.wait() == 0)
    }
}
