import COIPlacements
import Foundation

/// Runs the reference script (PyPI `matching`) on an instance and times it, wall clock.
struct ReferenceSolver {
    var python: String
    var script: String

    struct Instance: Encodable {
        struct Seeker: Encodable {
            var id: String
            var choices: [String]
            var eligible: Bool
        }

        struct Offer: Encodable {
            var id: String
            var capacity: Int
            var ranking: [String]
        }

        var seekers: [Seeker]
        var offers: [Offer]
    }

    struct ReferenceFailed: Error {
        var status: Int32
    }

    func solve(_ records: (seekers: [MatchingInstance.Seeker], offers: [MatchingInstance.Offer])) throws -> (Solution, Double) {
        let instance = Instance(seekers: records.seekers.map { .init(id: $0.id, choices: $0.choices, eligible: $0.eligible) },
                                offers: records.offers.map { .init(id: $0.id, capacity: $0.capacity, ranking: $0.ranking) })
        let input = try JSONEncoder().encode(instance)
        let inputFile = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("placements-bench-\(getpid()).json")
        try input.write(to: inputFile)
        defer { try? FileManager.default.removeItem(at: inputFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        // `matching` deep-copies its players, whose preference lists point at each other: at 10,000 × 3,000 that
        // recursion overflows Python's default limit, so the script runs in a thread with a large stack and limit.
        process.arguments = ["-c", """
            import runpy, sys, threading
            sys.setrecursionlimit(1_000_000)
            threading.stack_size(1 << 30)
            thread = threading.Thread(target=lambda: runpy.run_path(sys.argv[1], run_name="__main__"))
            thread.start()
            thread.join()
            """, script]
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        let output = Pipe()
        process.standardOutput = output
        let start = ContinuousClock.now
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = PlacementsBenchmark.seconds(ContinuousClock.now - start)
        guard process.terminationStatus == 0 else { throw ReferenceFailed(status: process.terminationStatus) }
        return (try JSONDecoder().decode(Solution.self, from: data), seconds)
    }
}
