import COIWire
import Foundation
import Testing

/// Issue 10 item 6: coid raises its own soft open-file limit to the hard limit at start.
@Suite struct DescriptorLimitTests {

    @Test func softOpenFileLimitIsRaisedToTheHardLimit() async throws {
        let directory = try DaemonProcess.makeDirectory()
        let socket = directory.appendingPathComponent("coid.sock").path
        let log = directory.appendingPathComponent("coid.log").path
        // Started by a shell with a low soft limit, as under `ulimit -Sn 256`.
        let process = try ChildProcess("/bin/sh", ["-c", "ulimit -Sn 256 && exec \"$0\" \"$@\"", DaemonProcess.coid,
                                                   "--state-dir", directory.appendingPathComponent("state").path, "--socket", socket],
                                       environment: childEnvironment(), stdout: log, stderr: log)
        var served = false
        for _ in 0..<1500 where !served {
            guard process.isRunning else { break }
            if let connection = try? await ClientConnection.connect(unixSocket: socket) {
                await connection.close()
                served = true
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        #expect(served)
        let limits = try String(contentsOfFile: "/proc/\(process.pid)/limits", encoding: .utf8)
        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let numbers = line.split(separator: " ").compactMap { Int($0) }
        #expect(numbers.count == 2 && numbers[0] == numbers[1] && numbers[0] > 256, "\(line)")
        process.signal(SIGTERM)
        _ = await process.wait()
    }
}
