import COIHost
import Foundation
import NIOCore
import Testing

/// coid runs one event loop per CPU it may run on, as Go's runtime does (issue 15): confined with
/// `taskset` to one CPU it runs one loop thread, not one per core of the machine.
@Suite struct EventLoopCountTests {
    /// The NIO loop threads of a running process, by their thread names.
    static func loopThreads(_ pid: pid_t) -> Int {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.filter { task in
            ((try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8)) ?? "").hasPrefix("NIO-SGLTN")
        }.count
    }

    @Test func theMaskIsReadAsCoreutilsNprocReadsIt() async throws {
        // nproc (coreutils) counts the CPUs of the affinity mask: the outside reference.
        let nproc = try await runCommand("/usr/bin/nproc", [], environment: ["OMP_NUM_THREADS": ""])
        #expect(EventLoopCount.allowedCPUs() == Int(nproc.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let confined = try await runCommand("/usr/bin/taskset", ["-c", Self.firstAllowedCPU(), "/usr/bin/nproc"])
        #expect(confined.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        #expect(EventLoopCount.allowedCPUs(status: "Name:\tcoid\nCpus_allowed:\t00000000,00000005\n") == 2)
        #expect(EventLoopCount.allowedCPUs(status: "Cpus_allowed:\tff,ffffffff\n") == 40)
        #expect(EventLoopCount.allowedCPUs(status: "Cpus_allowed:\tzz\n") == nil)
        #expect(EventLoopCount.allowedCPUs(status: "Name:\tcoid\n") == nil)
    }

    @Test func aDaemonConfinedToOneCPURunsOneEventLoop() async throws {
        let daemon = try await DaemonProcess(launcher: ["/usr/bin/taskset", "-c", Self.firstAllowedCPU()])
        let confined = Self.loopThreads(daemon.process.pid)
        let free = try await DaemonProcess()
        let unconfined = Self.loopThreads(free.process.pid)
        // Still serving on its one loop.
        let connection = try await daemon.connect()
        await connection.close()
        await daemon.stop()
        await free.stop()
        #expect(confined == 1)
        #expect(unconfined == System.coreCount)
        if System.coreCount > 1 { #expect(daemon.log.contains("event loops: 1")) }
    }

    /// The first CPU this process may run on (CPU 0 need not be one of them).
    static func firstAllowedCPU() -> String {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let list = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }?
            .dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces) ?? "0"
        return String(list.prefix { $0.isNumber })
    }
}
