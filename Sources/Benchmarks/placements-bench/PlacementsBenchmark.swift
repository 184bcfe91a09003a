import ArgumentParser
import COIPlacements
import COIProto
import COIWire
import Foundation

/// Imports a generated season through the socket of the real coid, times `Matching/Match`, and
/// solves the same instance with PyPI's `matching` to compare result and time.
@main
struct PlacementsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "placements-bench",
        abstract: "Benchmark coi.placements: import and matching through the socket, against PyPI matching.",
        discussion: """
            Without --socket it starts the coid binary next to itself on a temporary state directory. With --python \
            (default $COI_MATCHING_PYTHON) the instance is also solved by Tests/Plugins/PlacementsTests/Reference/\
            matching_reference.py (HospitalResident, resident-optimal) and the results compared.
            """)

    @Option(help: "Socket of a running coid, called as the local admin (default: start one).") var socket: String?
    @Option(help: "Seekers.") var seekers = 10_000
    @Option(help: "Offers.") var offers = 3_000
    @Option(help: "Offers each seeker ranks.") var choices = 10
    @Option(help: "Popularity skew (Zipf exponent).") var skew = 1.0
    @Option(help: "Random seed.") var seed: UInt64 = 2017
    @Option(help: "Times Match is run; the median is reported.") var repeats = 5
    @Option(help: "A python with PyPI's matching installed (default $COI_MATCHING_PYTHON).") var python: String?
    @Option(help: "The reference script.") var reference = "Tests/Plugins/PlacementsTests/Reference/matching_reference.py"

    func run() async throws {
        var daemon: Process?
        var socketPath = socket ?? ""
        if socket == nil {
            let dir = "/tmp/placements-bench-\(getpid())"
            try? FileManager.default.removeItem(atPath: dir)
            socketPath = dir + "/coid.sock"
            let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            let process = Process()
            process.executableURL = bin.appendingPathComponent("coid")
            process.arguments = ["--state-dir", dir, "--socket", socketPath, "--log-level", "warning"]
            try process.run()
            daemon = process
        }
        defer { daemon?.terminate() }
        try await waitForSocket(socketPath)
        let admin = try await ClientConnection.connect(unixSocket: socketPath)
        defer { Task { await admin.close() } }

        let generated = Generator(seekers: seekers, offers: offers, choices: choices, skew: skew, seed: seed).generate()
        // One seeker in twenty has no approval yet, so the matching also leaves people out for that reason.
        let records = (seekers: generated.seekers.enumerated().map { index, seeker in
            MatchingInstance.Seeker(id: seeker.id, choices: seeker.choices, eligible: index % 20 != 19)
        }, offers: generated.offers)
        print("# placements-bench: \(seekers) seekers × \(offers) offers, \(choices) choices each, skew \(skew), seed \(seed); "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores")

        let directory = try SeasonFiles.write(records)
        let season = try await admin.call(Coi_Placements_V1_Seasons.Method.create, .with {
            $0.year = 2027
            $0.week = 37
        }).id
        let importStart = ContinuousClock.now
        let imported = try await importSeason(admin, season: season, directory: directory)
        let importTime = Self.seconds(ContinuousClock.now - importStart)
        print(String(format: "import: %d offers, %d seekers, %d preferences, %d host rankings (%d accounts created) in %.2f s",
                     imported.offers, imported.seekers, imported.preferences, imported.hostRankings, imported.accountsCreated, importTime))

        var times: [Double] = []
        var reply = Coi_Placements_V1_MatchingReply()
        for _ in 0..<max(1, repeats) {
            let start = ContinuousClock.now
            reply = try await admin.call(Coi_Placements_V1_Matching.Method.match, .with { $0.seasonID = season }, timeout: .seconds(120))
            times.append(Self.seconds(ContinuousClock.now - start))
        }
        times.sort()
        let median = times[times.count / 2]
        print(String(format: "Matching/Match through the socket: median %.3f s (min %.3f, max %.3f, %d runs); %d placed, %d unplaced, stable %@",
                     median, times[0], times[times.count - 1], times.count, reply.placed, reply.unplaced.count,
                     reply.stable ? "yes" : "NO"))

        let ours = Solution(placements: Dictionary(uniqueKeysWithValues: reply.placements.map { ($0.seekerRef, $0.offerRef) }),
                            unplaced: Dictionary(uniqueKeysWithValues: reply.unplaced.map { ($0.seekerRef, Self.reasonName($0.reason)) }))
        let engine = try DeferredAcceptance.match(seekers: records.seekers, offers: records.offers)
        let inProcess = Solution(placements: Dictionary(uniqueKeysWithValues: engine.placements.map { ($0.seekerID, $0.offerID) }),
                                 unplaced: Dictionary(uniqueKeysWithValues: engine.unplaced.map { ($0.seekerID, $0.reason.rawValue) }))
        print("same result as the engine in process: \(ours == inProcess ? "yes" : "NO")")

        guard let python = python ?? ProcessInfo.processInfo.environment["COI_MATCHING_PYTHON"], !python.isEmpty else {
            print("PyPI matching: skipped (set --python or COI_MATCHING_PYTHON; scripts/setup-matching-venv.sh prints one)")
            if ours != inProcess { throw ExitCode(1) }
            return
        }
        let (theirs, pythonTime) = try ReferenceSolver(python: python, script: reference).solve(records)
        let same = theirs == ours
        print(String(format: "PyPI matching (HospitalResident, resident-optimal): %.2f s wall, same result: %@; coid is %.1f× faster",
                     pythonTime, same ? "yes" : "NO", pythonTime / median))
        if !same || ours != inProcess { throw ExitCode(1) }
    }

    func importSeason(_ admin: ClientConnection, season: String, directory: URL) async throws -> Coi_Placements_V1_ImportReply {
        let stream = try admin.stream(Coi_Placements_V1_Seasons.Method.import, timeout: .seconds(600))
        let names = ["offers.csv", "seekers.csv", "preferences.csv", "host_rankings.csv"]
        for (number, name) in names.enumerated() {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            var offset = 0
            repeat {
                let end = min(offset + (1 << 20), data.count)
                let last = number == names.count - 1 && end == data.count
                try await stream.send(Coi_Placements_V1_ImportChunk.with {
                    $0.seasonID = season
                    $0.file = name
                    $0.data = data.subdata(in: offset..<end)
                }, end: last)
                offset = end
            } while offset < data.count
        }
        var reply = Coi_Placements_V1_ImportReply()
        for try await message in stream.replies { reply = message }
        return reply
    }

    func waitForSocket(_ path: String) async throws {
        for _ in 0..<1000 {
            if let connection = try? await ClientConnection.connect(unixSocket: path) {
                await connection.close()
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ValidationError("coid did not come up on \(path)")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func reasonName(_ reason: Coi_Placements_V1_UnmatchedReason) -> String {
        switch reason {
        case .noApproval: UnmatchedReason.noApproval.rawValue
        case .noAcceptableOffer: UnmatchedReason.noAcceptableOffer.rawValue
        case .allFull: UnmatchedReason.allFull.rawValue
        default: "unspecified"
        }
    }
}

/// Placements and unplaced reasons by ref, as the reference script prints them.
struct Solution: Codable, Equatable {
    var placements: [String: String]
    var unplaced: [String: String]
}
