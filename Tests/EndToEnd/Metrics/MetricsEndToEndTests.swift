import COIProto
import COIWire
import Foundation
import Testing

/// Metrics from the real coid three ways — `coictl metrics`, the loopback HTTP listener scraped by
/// a real Prometheus, and the node-exporter textfile — each checked with `promtool check metrics`.
@Suite(.serialized) struct MetricsEndToEndTests {
    /// Starts coid with `[metrics]` listening on a free loopback port and writing a textfile.
    func startDaemon(textfileInterval: Int = 1) async throws -> (DaemonProcess, port: Int, textfile: String) {
        let dir = try DaemonProcess.makeDirectory()
        let port = try freeLoopbackPort()
        let textfile = dir.appendingPathComponent("coid.prom").path
        let config = dir.appendingPathComponent("coid.toml")
        try """
            [metrics]
            listen = "127.0.0.1:\(port)"
            textfile = "\(textfile)"
            textfile_interval_seconds = \(textfileInterval)
            """.write(to: config, atomically: true, encoding: .utf8)
        let daemon = try await DaemonProcess(directory: dir, extraArguments: ["--config", config.path])
        return (daemon, port, textfile)
    }

    func coictl(_ daemon: DaemonProcess, _ arguments: [String], token: String? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await runCommand(DaemonProcess.coictl, arguments + ["--socket", daemon.socketPath] + (token.map { ["--token", $0] } ?? []),
                             environment: ["COI_TOKEN": ""])
    }

    /// `promtool check metrics` on `text`: its exit status and what it printed.
    func promtool(_ text: String) async throws -> (status: Int32, output: String) {
        let result = try await runCommand("/usr/bin/promtool", ["check", "metrics"], input: text)
        return (result.status, result.stdout + result.stderr)
    }

    @Test func coictlMetricsCountsCallsByStatusAndPassesPromtool() async throws {
        let (daemon, _, _) = try await startDaemon()
        for _ in 0..<3 {
            let echo = try await coictl(daemon, ["call", "coi.core.v1.Diagnostics/Echo", #"{"message": "Ærø"}"#])
            #expect(echo.status == 0, "\(echo.stderr)")
        }
        // Refused at authentication: counted under the status it was refused with.
        let connection = try await daemon.connect()
        await #expect(throws: RPCError.self) {
            _ = try await connection.call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "x" },
                                          metadata: [(key: "authorization", value: "Bearer coi_not_a_token")])
        }
        await connection.close()

        let metrics = try await coictl(daemon, ["metrics"])
        #expect(metrics.status == 0, "\(metrics.stderr)")
        let text = metrics.stdout
        #expect(text.contains(#"coid_calls_total{service="coi.core.v1.Diagnostics",method="Echo",code="OK"} 3"#), "\(text)")
        #expect(text.contains(#"coid_calls_total{service="coi.core.v1.Diagnostics",method="Echo",code="UNAUTHENTICATED"} 1"#))
        #expect(text.contains(#"coid_call_duration_seconds_count{service="coi.core.v1.Diagnostics",method="Echo"} 4"#))
        #expect(text.contains("# HELP coid_calls_total ") && text.contains("# TYPE coid_call_duration_seconds histogram"))
        #expect(text.contains(#"coid_plugin_status{plugin="coi.wiki",status="ok"} 1.0"#))
        #expect(text.contains(#"coid_build_info{version=""#))
        #expect(text.contains(#"coid_group_commit_batch_size_count{writer="audit"}"#), "the audit log's writer records its batches")
        // The database exists and has pages; the metrics call itself is the one open stream.
        let database = try #require(Self.value(of: "coid_database_size_bytes", in: text))
        #expect(database > 0)
        #expect(Self.value(of: "coid_open_streams", in: text) == 1)
        #expect((Self.value(of: "coid_open_connections", in: text) ?? 0) >= 1)
        #expect(!text.contains("(undocumented)"), "every metric has its help text in MetricCatalog")

        let check = try await promtool(text)
        #expect(check.status == 0, "promtool: \(check.output)")

        let json = try await coictl(daemon, ["metrics", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["content_type"] as? String)?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect((object["text"] as? String)?.contains("coid_calls_total") == true)

        let head = try await runCommand("/bin/sh", ["-c", "\"$0\" metrics --socket \"$1\" | head -1", DaemonProcess.coictl, daemon.socketPath])
        #expect(head.status == 0 && head.stderr.isEmpty && head.stdout.split(separator: "\n").count == 1, "\(head)")
        await daemon.stop()
    }

    @Test func monitorRoleReadsHealthStatusAndMetricsOnly() async throws {
        let (daemon, _, _) = try await startDaemon()
        let account = try await coictl(daemon, ["accounts", "add", "--service", "--name", "Prometheus på drift"])
        let id = account.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(account.status == 0 && id.hasPrefix("acc_"), "\(account.stderr)")
        let bind = try await coictl(daemon, ["roles", "bind", id, "monitor"])
        #expect(bind.status == 0 && bind.stdout.contains("core.monitor"), "\(bind.stdout) \(bind.stderr)")
        let token = try await coictl(daemon, ["tokens", "issue", id]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        #expect(try await coictl(daemon, ["health"], token: token).status == 0)
        let status = try await coictl(daemon, ["status"], token: token)
        #expect(status.status == 0 && status.stdout.contains("SERVING"), "\(status.stderr)")
        let metrics = try await coictl(daemon, ["metrics"], token: token)
        #expect(metrics.status == 0 && metrics.stdout.contains("coid_calls_total"), "\(metrics.stderr)")

        // Nothing else: not accounts, not the audit log, not a durability canary, not the wiki.
        for arguments in [["accounts", "ls"], ["audit", "ls"], ["wiki", "get", "Forside"],
                          ["call", "coi.core.v1.Diagnostics/WriteCanary", #"{"label": "m"}"#]] {
            let refused = try await coictl(daemon, arguments, token: token)
            #expect(refused.status == 1 && refused.stderr.contains("PERMISSION_DENIED"), "\(arguments): \(refused.stderr)")
        }
        await daemon.stop()
    }

    @Test func textfileIsWrittenAtomicallyReadableAndValid() async throws {
        let (daemon, _, textfile) = try await startDaemon(textfileInterval: 1)
        _ = try await coictl(daemon, ["call", "coi.core.v1.Diagnostics/Echo", #"{"message": "tekstfil"}"#])
        // Rewritten every second: wait until a write after the Echo call shows it.
        var text = ""
        for _ in 0..<100 {
            text = (try? String(contentsOfFile: textfile, encoding: .utf8)) ?? ""
            if text.contains(#"method="Echo",code="OK"} 1"#) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(text.contains(#"coid_calls_total{service="coi.core.v1.Diagnostics",method="Echo",code="OK"} 1"#), "\(text)")
        let attributes = try FileManager.default.attributesOfItem(atPath: textfile)
        #expect((attributes[.posixPermissions] as? Int) == 0o644, "node-exporter runs as another user")
        let check = try await promtool(text)
        #expect(check.status == 0, "promtool: \(check.output)")
        // No temporary file is left beside it.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: (textfile as NSString).deletingLastPathComponent)
        #expect(!siblings.contains { $0.hasSuffix(".tmp") }, "\(siblings)")
        await daemon.stop()
    }

    @Test func aRealPrometheusScrapesTheListener() async throws {
        let (daemon, port, _) = try await startDaemon()
        let direct = try await httpGet("http://127.0.0.1:\(port)/metrics")
        #expect(direct.status == 0 && direct.body.contains("coid_build_info"))
        let notFound = try await runCommand("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:\(port)/"])
        #expect(notFound.stdout == "404")
        let post = try await runCommand("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "http://127.0.0.1:\(port)/metrics"])
        #expect(post.stdout == "405")

        let dir = daemon.directory.appendingPathComponent("prometheus")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let webPort = try freeLoopbackPort()
        try """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: coid
                static_configs:
                  - targets: ["127.0.0.1:\(port)"]
            """.write(to: dir.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("prometheus.log").path
        let prometheus = try ChildProcess("/usr/bin/prometheus", [
            "--config.file=\(dir.appendingPathComponent("prometheus.yml").path)",
            "--storage.tsdb.path=\(dir.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(webPort)",
        ], environment: childEnvironment(), stdout: log, stderr: log)
        defer { prometheus.signal(SIGTERM) }

        // Up to a minute for Prometheus to start and scrape; it normally takes a few seconds.
        var answer = ""
        for _ in 0..<120 {
            let query = try await httpGet("http://127.0.0.1:\(webPort)/api/v1/query?query=up%7Bjob%3D%22coid%22%7D")
            answer = query.body
            if answer.contains(#""value":["#) && answer.contains(#","1"]"#) { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(answer.contains(#""job":"coid""#) && answer.contains(#","1"]"#), "Prometheus never saw coid up: \(answer)\n\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        let build = try await httpGet("http://127.0.0.1:\(webPort)/api/v1/query?query=coid_build_info")
        #expect(build.body.contains(#""__name__":"coid_build_info""#) && build.body.contains(#""version":"#), "\(build.body)")
        prometheus.signal(SIGTERM)
        _ = await prometheus.wait()
        await daemon.stop()
    }

    @Test func aListenerOffLoopbackIsAConfigError() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let file = dir.appendingPathComponent("open.toml")
        try "[metrics]\nlisten = \"0.0.0.0:9464\"\n".write(to: file, atomically: true, encoding: .utf8)
        let check = try await runCommand(DaemonProcess.coid, ["config", "check", file.path])
        #expect(check.status == 78 && check.stderr.contains("metrics.listen") && check.stderr.contains("loopback"), "\(check.stderr)")

        let textfile = dir.appendingPathComponent("textfile.toml")
        try "[metrics]\ntextfile = \"/tmp/coid.txt\"\n".write(to: textfile, atomically: true, encoding: .utf8)
        let wrongName = try await runCommand(DaemonProcess.coid, ["config", "check", textfile.path])
        #expect(wrongName.status == 78 && wrongName.stderr.contains("metrics.textfile") && wrongName.stderr.contains(".prom"), "\(wrongName.stderr)")

        let good = dir.appendingPathComponent("good.toml")
        try "[metrics]\nlisten = \"[::1]:9464\"\n".write(to: good, atomically: true, encoding: .utf8)
        let ok = try await runCommand(DaemonProcess.coid, ["config", "check", good.path])
        #expect(ok.status == 0 && ok.stdout.contains("metrics = Metrics/Get, http://[::1]:9464/metrics"), "\(ok.stdout) \(ok.stderr)")
    }

    @Test func aMetricsPortInUseStopsStartUpBeforeReady() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let (daemon, port, _) = try await startDaemon()
        let config = dir.appendingPathComponent("busy.toml")
        try "[metrics]\nlisten = \"127.0.0.1:\(port)\"\n".write(to: config, atomically: true, encoding: .utf8)
        let second = try await DaemonProcess(directory: dir, extraArguments: ["--config", config.path], waitForSocket: false)
        let status = await second.waitForExit()
        #expect(status == 1, "\(second.log)")
        #expect(second.log.contains("cannot listen for metrics on 127.0.0.1:\(port)") && !second.log.contains("coid ready"), "\(second.log)")
        await daemon.stop()
    }

    /// The value of an unlabelled sample.
    static func value(of name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }
}
