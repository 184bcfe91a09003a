import ArgumentParser
import COIProto
import COIWire
import Foundation
import NIOCore
import NIOPosix

/// Measures unary Echo over the Unix socket: calls/s, p50 and p99 latency at several caller and
/// connection counts, and the daemon's resident memory idle and under load.
@main
struct EchoBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coid-bench",
        abstract: "Benchmark unary Echo against coid.",
        discussion: "Without --socket it starts the coid binary next to itself on a temporary state directory.")

    @Option(help: "Socket of a running coid (default: start one).") var socket: String?
    @Option(help: "PID of the coid behind --socket, for memory figures.") var pid: Int32?
    @Option(help: "Seconds measured per scenario.") var seconds: Double = 5
    @Option(help: "Seconds of warm-up per scenario.") var warmup: Double = 1
    @Option(help: "Scenarios as CALLERSxCONNECTIONS, comma-separated.") var scenarios = "1x1,1x4,64x1,64x4"
    @Option(help: "Echo message size in bytes.") var messageSize = 16
    @Option(parsing: .upToNextOption, help: "Metadata entries (key=value) sent with every call, e.g. authorization=Bearer…")
    var metadata: [String] = []
    @Option(help: "peer: callers are known by their Unix credentials; token: a service account and bearer token are created through the socket and sent with every call.")
    var auth: AuthMode = .peer
    @Flag(help: "Measure durable writes (Diagnostics/WriteCanary: a committed SQLite transaction and an audit entry per call) instead of Echo; the same as --workload canary.")
    var writes = false
    @Option(help: "What each call does: \(WorkloadKind.allCases.map(\.rawValue).joined(separator: ", ")). The wiki and nominate workloads make a person account (and token) per caller.")
    var workload: WorkloadKind = .echo
    @Flag(help: "Start coid with database.group_commit = false: every write commits its own transaction (the 'before' of group commit).")
    var withoutGroupCommit = false

    enum AuthMode: String, ExpressibleByArgument {
        case peer
        case token
    }

    func run() async throws {
        let kind = writes && workload == .echo ? .canary : workload
        if withoutGroupCommit, socket != nil {
            throw ValidationError("--without-group-commit starts its own coid; it cannot be used with --socket")
        }
        var daemon: Process?
        var socketPath = socket ?? ""
        var daemonPID = pid
        if socket == nil {
            let dir = "/tmp/coid-bench-\(getpid())"
            try? FileManager.default.removeItem(atPath: dir)
            socketPath = dir + "/coid.sock"
            let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            let process = Process()
            process.executableURL = bin.appendingPathComponent("coid")
            process.arguments = ["--state-dir", dir, "--socket", socketPath, "--log-level", "warning"]
            if withoutGroupCommit {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try "[database]\ngroup_commit = false\n".write(toFile: dir + "/coid.toml", atomically: true, encoding: .utf8)
                process.arguments! += ["--config", dir + "/coid.toml"]
            }
            try process.run()
            daemon = process
            daemonPID = process.processIdentifier
        }
        defer { daemon?.terminate() }
        try await waitForSocket(socketPath)
        try await Task.sleep(for: .milliseconds(500))

        print(kind == .echo ? "# coid-bench: unary \(kind.title), \(messageSize)-byte message, \(seconds)s per scenario"
                            : "# coid-bench: unary \(kind.title), \(seconds)s per scenario")
        if kind != .echo {
            print(socket != nil ? "durable writes: as the running coid is configured"
                  : "durable writes: WAL, synchronous = FULL (coid's default: an fsync per commit); group commit "
                    + (withoutGroupCommit ? "OFF (database.group_commit = false: one transaction per write)" : "on (the default)"))
        }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores")
        if let daemonPID { print("daemon RSS idle: \(Self.rss(daemonPID).map { "\($0 / 1024) MiB" } ?? "n/a")") }
        print("")
        var pairs = metadata.map { entry -> (String, String) in
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        if auth == .token {
            pairs.append(("authorization", "Bearer " + (try await Self.provisionToken(socketPath))))
            print("auth: bearer token of a service account (SHA-256 lookup, cache, rate limiter and access check on every call)")
        } else {
            print("auth: Unix peer credentials")
        }
        print("| callers | connections | calls/s | p50 ms | p99 ms | daemon CPU µs/call | daemon RSS MiB |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        // One workload for all scenarios: each scenario prepares fresh accounts and pages of its own.
        let load = try workload(kind, socketPath: socketPath, metadata: pairs)
        for scenario in scenarios.split(separator: ",") {
            let numbers = scenario.split(separator: "x").compactMap { Int($0) }
            guard numbers.count == 2 else { throw ValidationError("bad scenario \(scenario)") }
            let result = try await LoadRun(socketPath: socketPath, callers: numbers[0], connections: numbers[1],
                                           workload: load)
                .measure(warmup: warmup, seconds: seconds, pid: daemonPID)
            print("| \(numbers[0]) | \(numbers[1]) | \(Int(result.rate)) | \(format(result.p50)) | \(format(result.p99)) | \(result.cpuMicrosPerCall.map { String(format: "%.1f", $0) } ?? "n/a") | \(result.rssKiB.map { "\($0 / 1024)" } ?? "n/a") |")
        }
        if let daemonPID { print("\ndaemon peak RSS (VmHWM): \(Self.hwm(daemonPID).map { "\($0 / 1024) MiB" } ?? "n/a")") }
    }

    func format(_ ms: Double) -> String { String(format: "%.3f", ms) }

    /// The workload of one scenario.
    func workload(_ kind: WorkloadKind, socketPath: String, metadata: [(String, String)]) throws -> any Workload {
        switch kind {
        case .echo:
            FixedWorkload(payload: ttrpcRequest(service: Coi_Core_V1_Diagnostics.service.name, method: Coi_Core_V1_Diagnostics.Method.echo.method,
                                                payload: try Coi_Core_V1_EchoRequest.with { $0.message = String(repeating: "x", count: messageSize) }.serializedData(),
                                                metadata: metadata))
        case .canary:
            FixedWorkload(payload: ttrpcRequest(service: Coi_Core_V1_Diagnostics.service.name,
                                                method: Coi_Core_V1_Diagnostics.Method.writeCanary.method,
                                                payload: try Coi_Core_V1_WriteCanaryRequest.with { $0.label = "bench" }.serializedData(),
                                                metadata: metadata))
        case .wikiCreate: WikiWorkload(socketPath: socketPath, mode: .create)
        case .wikiEdit: WikiWorkload(socketPath: socketPath, mode: .edit)
        case .wikiSamePage: WikiWorkload(socketPath: socketPath, mode: .samePage)
        case .nominate: NominateWorkload(socketPath: socketPath)
        }
    }

    /// Creates a service account and a token for it; needs an admin caller (root or the admin group).
    static func provisionToken(_ socketPath: String) async throws -> String {
        let client = try await ClientConnection.connect(unixSocket: socketPath)
        defer { Task { await client.close() } }
        let account = try await client.call(Coi_Identity_V1_Accounts.Method.create, Coi_Identity_V1_CreateAccountRequest.with {
            $0.kind = .service
            $0.fullName = "coid-bench"
        })
        let issued = try await client.call(Coi_Identity_V1_Tokens.Method.issue, Coi_Identity_V1_IssueTokenRequest.with {
            $0.accountID = account.id
            $0.description_p = "benchmark"
        })
        return issued.secret
    }

    func waitForSocket(_ path: String) async throws {
        for _ in 0..<1000 {
            if let c = try? await ClientConnection.connect(unixSocket: path) {
                await c.close()
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ValidationError("coid did not come up on \(path)")
    }

    static func procStatus(_ pid: Int32, _ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }
    static func rss(_ pid: Int32) -> Int? { procStatus(pid, "VmRSS") }
    static func hwm(_ pid: Int32) -> Int? { procStatus(pid, "VmHWM") }
}
