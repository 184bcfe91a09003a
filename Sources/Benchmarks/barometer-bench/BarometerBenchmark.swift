import ArgumentParser
import COIProto
import COIWire
import Foundation

/// A wave the size of the real barometer through the real coid: a frame of 15,000 workplaces, a
/// sample of 4,500 in 30 strata, about 2,000 completed responses to 40 questions; then every estimate
/// (each question overall and by level, sector, size class and region) through the socket, and the
/// same table computed by R's survey package in the same run, with the time ratio and the largest
/// relative difference.
@main
struct BarometerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "barometer-bench",
        abstract: "Benchmark coi.barometer: every estimate of a full-size wave through the socket, against R's survey package.",
        discussion: "Without --socket it starts the coid binary next to itself on a temporary state directory.")

    @Option(help: "Socket of a running coid, called as the local admin (default: start one).") var socket: String?
    @Option(help: "Frame size.") var frame = 15_000
    @Option(help: "Sample size.") var sample = 4_500
    @Option(help: "Times the estimate call is repeated; the median is reported.") var repeats = 5
    @Flag(help: "Skip the R comparison.") var noR = false

    func run() async throws {
        var daemon: Process?
        var socketPath = socket ?? ""
        let directory = "/tmp/barometer-bench-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if socket == nil {
            socketPath = directory + "/coid.sock"
            let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            let process = Process()
            process.executableURL = bin.appendingPathComponent("coid")
            process.arguments = ["--state-dir", directory + "/state", "--socket", socketPath, "--log-level", "warning"]
            try process.run()
            daemon = process
        }
        defer { daemon?.terminate() }
        try await waitForSocket(socketPath)
        let admin = try await ClientConnection.connect(unixSocket: socketPath)
        defer { Task { await admin.close() } }
        print("# barometer-bench: frame \(frame), sample \(sample), 40 questions; \(ProcessInfo.processInfo.activeProcessorCount) cores")

        var data = BenchData(frameSize: frame, seed: 2026)
        let wave = try await admin.call(Coi_Barometer_V1_Waves.Method.create, .with { $0.name = "Benchmark \(Date())" }).id
        var started = ContinuousClock.now
        _ = try await admin.call(Coi_Barometer_V1_Waves.Method.importFrame, .with {
            $0.waveID = wave
            $0.data = Data(data.frameCSV.utf8)
        })
        _ = try await admin.call(Coi_Barometer_V1_Waves.Method.importQuestionnaire, .with {
            $0.waveID = wave
            $0.document = BenchData.questionnaire
        })
        _ = try await admin.call(Coi_Barometer_V1_Waves.Method.setDesign, .with {
            $0.waveID = wave
            $0.design = .with {
                $0.strata = ["level", "size_class"]
                $0.allocation = .proportional
                $0.sampleSize = Int32(sample)
                $0.minPerStratum = 3
                $0.seed = "2026"
            }
        })
        let drawn = try await admin.call(Coi_Barometer_V1_Waves.Method.drawSample, .with { $0.waveID = wave })
        print(String(format: "setup: frame import, questionnaire, design and draw (%d strata) in %.2f s", drawn.strata.count,
                     seconds(since: started)))

        var exported = Data()
        for try await chunk in try admin.stream(Coi_Barometer_V1_Waves.Method.export, .with {
            $0.waveID = wave
            $0.table = .sample
        }).replies { exported.append(chunk.data) }
        let rows = BenchCSV.records(String(decoding: exported, as: UTF8.self))
        let responses = data.responses(sampleRows: rows)
        started = .now
        let imported = try await admin.call(Coi_Barometer_V1_Waves.Method.importResponses, .with {
            $0.waveID = wave
            $0.data = Data(data.responsesCSV(responses).utf8)
        })
        print(String(format: "responses: %d imported in %.2f s (%.0f %% of the sample)", imported.rows, seconds(since: started),
                     100 * Double(imported.rows) / Double(sample)))

        let request = Coi_Barometer_V1_EstimateRequest.with {
            $0.waveID = wave
            $0.by = ["level", "sector", "size_class", "region"]
        }
        var times: [Double] = []
        var reply = Coi_Barometer_V1_EstimateReply()
        for _ in 0..<max(1, repeats) {
            started = .now
            reply = try await admin.call(Coi_Barometer_V1_Estimates.Method.estimate, request)
            times.append(seconds(since: started))
        }
        let median = times.sorted()[times.count / 2]
        print(String(format: "estimate: %d estimates (%d suppressed) from %d respondents through the socket: first %.3f s, median of %d %.3f s (goal ≤ 1 s)",
                     reply.estimates.count, reply.estimates.filter(\.suppressed).count, reply.respondents, times[0], times.count, median))
        guard !noR else { return }

        let r = try RBaseline(directory: directory, data: data, sampleRows: rows, responses: responses)
        started = .now
        let rTable = try r.run()
        let rSeconds = seconds(since: started)
        var largest = 0.0, compared = 0, worst = ""
        for estimate in reply.estimates where estimate.hasNumbers {
            guard let values = rTable[RBaseline.key(estimate.question, estimate.by, estimate.domain, estimate.category)] else { continue }
            let ours = [estimate.numbers.estimate, estimate.numbers.se] + (estimate.numbers.hasCi ? [estimate.numbers.ci.low, estimate.numbers.ci.high] : [])
            for (mine, theirs) in zip(ours, values) where theirs.isFinite {
                let difference = abs(mine - theirs) / max(abs(theirs), 1e-9)
                // Proportions of 0 or 1: R's glm gives p ± 1e-11; compared absolutely (docs/barometer.md).
                let relative = abs(theirs) < 1e-6 ? abs(mine - theirs) : difference
                if relative > largest {
                    largest = relative
                    worst = "\(estimate.question) \(estimate.by)=\(estimate.domain) \(estimate.category): \(mine) vs R \(theirs)"
                }
            }
            compared += 1
        }
        print(String(format: "R survey: the same table in %.1f s (Rscript, svyciprop/svymean per estimate); coid is %.0f× faster (goal ≥ 10×)",
                     rSeconds, rSeconds / median))
        print("agreement: \(compared) estimates compared; largest relative difference \(String(format: "%.2e", largest)) (goal ≤ 1e-6)"
              + (worst.isEmpty ? "" : " at \(worst)"))
    }

    func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    func waitForSocket(_ path: String) async throws {
        for _ in 0..<300 {
            if let connection = try? await ClientConnection.connect(unixSocket: path) {
                await connection.close()
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("coid did not start serving \(path)")
    }
}
