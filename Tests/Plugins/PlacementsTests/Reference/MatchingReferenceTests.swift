@testable import COIPlacements
import COIHostTesting
import Foundation
import Testing

/// The matcher against an outside reference: PyPI's `matching` (HospitalResident, resident-optimal),
/// run by matching_reference.py next to this file. Needs `COI_MATCHING_PYTHON`, a python with
/// `matching` installed (scripts/setup-matching-venv.sh prints one); without it the test is skipped.
///
/// The script restricts both sides' lists to mutually acceptable pairs before building the game,
/// because `matching` requires each hospital to rank exactly the residents that ranked it (see its
/// docstring); what the two sides are compared on is the same: placements and unplaced reasons.
@Suite struct MatchingReferenceTests {
    static let python = ProcessInfo.processInfo.environment["COI_MATCHING_PYTHON"]

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

    struct Solution: Decodable, Equatable {
        var placements: [String: String]
        var unplaced: [String: String]
    }

    @Test(.enabled(if: python != nil, "COI_MATCHING_PYTHON is not set: run scripts/setup-matching-venv.sh and export its output"))
    func agreesWithPyPIMatchingOnRandomInstances() throws {
        var random = SplitMix64(state: 37)
        let generated = (0..<50).map { number in
            // Mostly small, some at a season-like density; every other one with unknown ids and repeats.
            let large = number % 5 == 4
            return RandomInstance(seekers: large ? random.between(100, 300) : random.between(0, 30),
                                  offers: large ? random.between(30, 90) : random.between(1, 12), maxChoices: large ? 10 : 5,
                                  noise: number % 2 == 1, using: &random)
        }
        let references = try Self.solve(generated.map { generated in
            Instance(seekers: generated.seekers.map { .init(id: $0.id, choices: $0.choices, eligible: $0.eligible) },
                     offers: generated.offers.map { .init(id: $0.id, capacity: $0.capacity, ranking: $0.ranking) })
        })
        try #require(references.count == generated.count)
        for (number, (instance, reference)) in zip(generated, references).enumerated() {
            let outcome = try DeferredAcceptance.match(seekers: instance.seekers, offers: instance.offers)
            let ours = Solution(placements: Fixture.placed(outcome), unplaced: Fixture.reasons(outcome).mapValues(\.rawValue))
            #expect(Self.differences(ours, reference).isEmpty, "instance \(number)")
        }
        #expect(references.contains { !$0.placements.isEmpty } && references.contains { $0.unplaced.values.contains("allFull") })
    }

    /// "seeker: ours → reference" for each seeker the two disagree on (an offer id or a reason).
    static func differences(_ ours: Solution, _ reference: Solution) -> [String] {
        func result(_ solution: Solution, _ seeker: String) -> String {
            solution.placements[seeker] ?? solution.unplaced[seeker].map { "(\($0))" } ?? "(missing)"
        }
        let seekers = Set(ours.placements.keys).union(ours.unplaced.keys).union(reference.placements.keys).union(reference.unplaced.keys)
        return seekers.sorted().compactMap { seeker in
            result(ours, seeker) == result(reference, seeker) ? nil : "\(seeker): \(result(ours, seeker)) → \(result(reference, seeker))"
        }
    }

    /// Runs the script once for all instances (Python's start-up dominates otherwise).
    static func solve(_ instances: [Instance]) throws -> [Solution] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("matching_reference.py")
        let outcome = try ReferenceProcess.run(try #require(python), [script.path], input: JSONEncoder().encode(instances))
        try #require(outcome.status == 0, "matching_reference.py failed: \(outcome.errors)")
        let data = outcome.output
        return try JSONDecoder().decode([Solution].self, from: data)
    }
}
