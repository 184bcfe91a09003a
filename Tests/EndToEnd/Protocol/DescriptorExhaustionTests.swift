import COIProto
import COIWire
import Foundation
import Testing

/// Issue 10 item 6: flooded beyond its open-file limit, coid stops accepting at the connections it
/// has room for, before it runs out of descriptors (out of them, the runtime itself traps), says
/// so once, does not spin, and serves again once the flood is gone.
@Suite(.serialized) struct DescriptorExhaustionTests {

    /// User plus system CPU time of a process, in clock ticks (/proc/PID/stat fields 14 and 15).
    static func cpuTicks(_ pid: Int32) throws -> Int {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the command name, which is in parentheses and may hold spaces.
        let rest = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
        return try #require(Int(rest[11])) + (try #require(Int(rest[12])))
    }

    /// Starts coid under `ulimit -n LIMIT` (soft and hard: coid cannot raise it) and waits until it serves.
    static func startLimited(_ limit: Int) async throws -> (process: ChildProcess, socket: String, log: () -> String) {
        let directory = try DaemonProcess.makeDirectory()
        let socket = directory.appendingPathComponent("coid.sock").path
        let log = directory.appendingPathComponent("coid.log").path
        let process = try ChildProcess("/bin/sh", ["-c", "ulimit -n \(limit) && exec \"$0\" \"$@\"", DaemonProcess.coid,
                                                   "--state-dir", directory.appendingPathComponent("state").path, "--socket", socket],
                                       environment: childEnvironment(), stdout: log, stderr: log)
        let logText: @Sendable () -> String = { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
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
        return (process, socket, logText)
    }

    /// Whether a new client is served an Echo, retried for up to ten seconds.
    static func servesAgain(_ socket: String) async throws -> Bool {
        for _ in 0..<200 {
            if let connection = try? await ClientConnection.connect(unixSocket: socket) {
                let reply = try? await connection.call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "æøå" }, timeout: .seconds(5))
                await connection.close()
                if reply?.message == "æøå" { return true }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func aFloodBeyondTheOpenFileLimitWaitsWithoutSpinningAndIsLoggedOnce() async throws {
        let (process, socket, logText) = try await Self.startLimited(64)
        // More connections than descriptors: coid stops accepting at the connections the limit
        // leaves room for (after the descriptors it keeps free), before it runs out; the rest wait
        // in the listen backlog.
        var flood: [RawConnection] = []
        for _ in 0..<100 { flood.append(try RawConnection(path: socket)) }
        for _ in 0..<500 where !logText().contains("admits no more connections") { try await Task.sleep(for: .milliseconds(20)) }
        #expect(logText().contains("the open-file limit admits no more connections"), "\(logText())")
        // Flooded for a while: no spinning, no stream of lines, never out of descriptors.
        let before = try Self.cpuTicks(process.pid)
        try await Task.sleep(for: .seconds(3))
        let used = try Self.cpuTicks(process.pid) - before
        let ticksPerSecond = Int(sysconf(Int32(_SC_CLK_TCK)))
        #expect(used < ticksPerSecond, "CPU used in 3 s while flooded: \(used) ticks (\(ticksPerSecond) a second)")
        // At most one line per 10 s (the probe that saw coid start may have filled it once before).
        let lines = logText().split(separator: "\n").filter { $0.contains("admits no more connections") }
        #expect((1...2).contains(lines.count), "\(lines)")
        #expect(!logText().contains("cannot accept connections"), "\(logText())")
        #expect(process.isRunning)

        // The flood gone: a new client is served.
        flood.removeAll()
        #expect(try await Self.servesAgain(socket), "\(logText())")
        process.signal(SIGTERM)
        #expect(await process.wait() == 0)
    }

    /// Found with `scripts/stress-descriptors.py`: out of descriptors while database work was
    /// queued, coid died of SIGILL within seconds. libdispatch (Swift concurrency's executor on
    /// Linux) checks its worker threads every second while work is queued by opening
    /// `/proc/<tid>/stat`, and traps when that open fails ("workq: registered worker exited
    /// prematurely"). So coid must never run out: connections are refused while
    /// `DescriptorLimit.reserve` descriptors would no longer be free.
    @Test func floodedWhileBusyWithTheDatabaseItNeverRunsOutOfDescriptors() async throws {
        let (process, socket, logText) = try await Self.startLimited(128)
        let deadline = ContinuousClock.now + .seconds(6)
        let answered = await withTaskGroup(of: Int.self) { group in
            for client in 0..<100 {
                group.addTask {
                    var answered = 0
                    while ContinuousClock.now < deadline && process.isRunning {
                        guard let connection = try? await ClientConnection.connect(unixSocket: socket) else {
                            try? await Task.sleep(for: .milliseconds(20))
                            continue
                        }
                        var open = true
                        while open && ContinuousClock.now < deadline {
                            // A write and a full-text search: work queued on the database's dispatch queues.
                            let wrote = try? await connection.call(Coi_Core_V1_Diagnostics.Method.writeCanary,
                                                                   .with { $0.label = "kunde \(client) æøå" }, timeout: .seconds(10))
                            let found = try? await connection.call(Coi_Wiki_V1_Discovery.Method.search,
                                                                   .with { $0.query = "velfærd" }, timeout: .seconds(10))
                            open = wrote != nil && found != nil
                            if open { answered += 1 }
                        }
                        await connection.close()
                        if !open { try? await Task.sleep(for: .milliseconds(20)) }
                    }
                    return answered
                }
            }
            return await group.reduce(0, +)
        }
        #expect(process.isRunning, "coid died while flooded: \(logText().suffix(3000))")
        #expect(answered > 0)
        #expect(logText().contains("the open-file limit admits no more connections"), "\(logText().suffix(3000))")
        #expect(!logText().contains("cannot accept connections"), "\(logText().suffix(3000))")
        #expect(try await Self.servesAgain(socket), "\(logText().suffix(3000))")
        process.signal(SIGTERM)
        #expect(await process.wait() == 0)
    }
}
