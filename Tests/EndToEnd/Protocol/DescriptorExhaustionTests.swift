import COIProto
import COIWire
import Foundation
import Testing

/// Issue 10 item 6: out of file descriptors, coid stops accepting (backs off instead of spinning),
/// says so once, and serves again once descriptors are free.
@Suite(.serialized) struct DescriptorExhaustionTests {

    /// User plus system CPU time of a process, in clock ticks (/proc/PID/stat fields 14 and 15).
    static func cpuTicks(_ pid: Int32) throws -> Int {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the command name, which is in parentheses and may hold spaces.
        let rest = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
        return try #require(Int(rest[11])) + (try #require(Int(rest[12])))
    }

    @Test func outOfDescriptorsBacksOffLogsOnceAndRecovers() async throws {
        let directory = try DaemonProcess.makeDirectory()
        let socket = directory.appendingPathComponent("coid.sock").path
        let log = directory.appendingPathComponent("coid.log").path
        // Soft and hard limit 64 (`ulimit -n` sets both): coid cannot raise it.
        let process = try ChildProcess("/bin/sh", ["-c", "ulimit -n 64 && exec \"$0\" \"$@\"", DaemonProcess.coid,
                                                   "--state-dir", directory.appendingPathComponent("state").path, "--socket", socket],
                                       environment: childEnvironment(), stdout: log, stderr: log)
        func logText() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
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
        try #require(served, "coid did not start: \(logText())")

        // More connections than descriptors: the kernel queues the rest in the listen backlog.
        var flood: [RawConnection] = []
        for _ in 0..<100 { flood.append(try RawConnection(path: socket)) }
        for _ in 0..<500 where !logText().contains("cannot accept connections") { try await Task.sleep(for: .milliseconds(20)) }
        #expect(logText().contains("cannot accept connections"), "\(logText())")
        // Out of descriptors for a while (accept is retried each second): no spinning, no stream of lines.
        let before = try Self.cpuTicks(process.pid)
        try await Task.sleep(for: .seconds(3))
        let used = try Self.cpuTicks(process.pid) - before
        let ticksPerSecond = Int(sysconf(Int32(_SC_CLK_TCK)))
        #expect(used < ticksPerSecond, "CPU used in 3 s out of descriptors: \(used) ticks (\(ticksPerSecond) a second)")
        let lines = logText().split(separator: "\n").filter { $0.contains("cannot accept connections") }
        #expect(lines.count == 1, "\(lines)")
        #expect(process.isRunning)

        // Descriptors free again: a new client is served, and the recovery is logged.
        flood.removeAll()
        var recovered = false
        for _ in 0..<200 where !recovered {
            if let connection = try? await ClientConnection.connect(unixSocket: socket) {
                if let reply = try? await connection.call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "æøå" }, timeout: .seconds(5)) {
                    recovered = reply.message == "æøå"
                }
                await connection.close()
            }
            if !recovered { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(recovered, "\(logText())")
        #expect(logText().contains("accepting connections again"))
        process.signal(SIGTERM)
        #expect(await process.wait() == 0)
    }
}
