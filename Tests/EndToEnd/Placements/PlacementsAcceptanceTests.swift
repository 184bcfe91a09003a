import COIPlacements
import Foundation
import Testing

/// Issue 11, item 10: exactly the acceptance commands through the real coictl against the real coid,
/// on a generated season, with the export checked against the matching engine run in process.
@Suite(.serialized) struct PlacementsAcceptanceTests {
    @Test func importMatchAndExportAgreeWithTheEngine() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let season = GeneratedSeason(seekers: 60, offers: 18, choices: 4, seed: 11)
        let directory = try season.write()
        defer { try? FileManager.default.removeItem(at: directory) }

        let created = try await cli.object(["placements", "seasons", "create", "--year", "2027", "--week", "37"])
        let id = try #require(created["id"] as? String)
        #expect(created["week_starts"] as? String == "2027-09-13")
        let imported = try await cli.ok(["placements", "import", id, directory.path])
        #expect(imported.contains("imported 18 offers, 60 seekers"))
        try await cli.ok(["placements", "match", id])
        let csv = try await cli.ok(["placements", "export", id, "matches"])

        let table = try CSVTable(csv, expected: ["seeker_ref", "seeker_id", "seeker_name", "offer_ref", "offer_id", "offer_title", "choice",
                                                 "host_rank", "source", "reason"])
        #expect(table.records.count == 60)
        let exported = Dictionary(uniqueKeysWithValues: table.records.map { ($0.fields[0], $0.fields[3]) })
        let reasons = Dictionary(uniqueKeysWithValues: table.records.map { ($0.fields[0], $0.fields[9]) })
        let outcome = try DeferredAcceptance.match(seekers: season.records.seekers, offers: season.records.offers)
        var expected = Dictionary(uniqueKeysWithValues: outcome.unplaced.map { ($0.seekerID, "") })
        for placement in outcome.placements { expected[placement.seekerID] = placement.offerID }
        #expect(exported == expected)
        let expectedReasons: [String: String] = Dictionary(uniqueKeysWithValues: outcome.unplaced.map { unplaced in
            (unplaced.seekerID, ["noApproval": "no_approval", "noAcceptableOffer": "no_acceptable_offer", "allFull": "all_full"][unplaced.reason.rawValue] ?? "")
        })
        #expect(reasons.filter { !$0.value.isEmpty } == expectedReasons)
        // Danish letters survive the round trip.
        #expect(table.records.contains { $0.fields[2].hasPrefix("Søren Ærø") })
        #expect(outcome.placements.count > 10 && !outcome.unplaced.isEmpty)

        let season2 = try await cli.object(["placements", "seasons", "show", id])
        #expect(season2["phase"] as? String == "MATCHED")
    }

    /// An export bigger than a pipe's buffer, read by `head -1`: coictl ends quietly with status 0
    /// (Foundation's FileHandle.write trapped on the broken pipe).
    @Test func exportIntoAClosedPipeEndsQuietly() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let season = GeneratedSeason(seekers: 2_500, offers: 200, choices: 3, seed: 5)
        let directory = try season.write()
        defer { try? FileManager.default.removeItem(at: directory) }
        let id = try await cli.ok(["placements", "seasons", "create", "--year", "2027", "--week", "37"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try await cli.ok(["placements", "import", id, directory.path])
        try await cli.ok(["placements", "match", id])
        let full = try await cli.ok(["placements", "export", id, "matches"])
        #expect(full.utf8.count > 128 * 1024, "the export must outgrow a pipe's buffer: \(full.utf8.count) bytes")

        let command = [DaemonProcess.coictl, "placements", "export", id, "matches", "--socket", cli.daemon.socketPath].map { "'\($0)'" }
            .joined(separator: " ")
        let script = "\(command) 2>/dev/null | head -1; echo \"status ${PIPESTATUS[0]}\""
        let result = try await runCommand("/bin/bash", ["-c", script], environment: ["COI_TOKEN": ""])
        #expect(result.stdout.hasPrefix("seeker_ref,seeker_id,"), "\(result.stdout.prefix(200))")
        #expect(result.stdout.hasSuffix("status 0\n"), "coictl placements export | head -1: \(result.stdout.suffix(200)) \(result.stderr.prefix(300))")
    }

    @Test func wrongInputIsNamedInWordsAndChangesNothing() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let season = GeneratedSeason(seekers: 10, offers: 4, choices: 2, seed: 3)
        let directory = try season.write(breakSeekerLine: 5)
        defer { try? FileManager.default.removeItem(at: directory) }
        let id = try await cli.ok(["placements", "seasons", "create", "--year", "2027", "--week", "37"])
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let bad = try await cli.run(["placements", "import", id, directory.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("seekers.csv, line 5, column manager_approval"), "\(bad.stderr)")
        let csv = try await cli.ok(["placements", "export", id, "matches"])
        #expect(csv.split(separator: "\r\n").count == 1, "only the header: \(csv)")

        let missing = try await cli.run(["placements", "import", id, "/nonexistent"])
        #expect(missing.status != 0 && missing.stderr.contains("offers.csv"))
        let week = try await cli.run(["placements", "seasons", "create", "--year", "2027", "--week", "54"])
        #expect(week.status == 1 && week.stderr.contains("week"))
        let unknown = try await cli.run(["placements", "match", "sea_nope"])
        #expect(unknown.status == 1 && unknown.stderr.contains("NOT_FOUND"))
    }
}

/// A small season with skewed popularity, one seeker in seven without approval and hosts that
/// leave about one applicant in six unranked; refs are the engine's ids.
struct GeneratedSeason {
    let records: (seekers: [MatchingInstance.Seeker], offers: [MatchingInstance.Offer])

    init(seekers: Int, offers: Int, choices: Int, seed: UInt64) {
        var state = seed
        func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
        var applicants = [[String]](repeating: [], count: offers)
        var seekerRecords: [MatchingInstance.Seeker] = []
        for seeker in 0..<seekers {
            var picked: [Int] = []
            while picked.count < min(choices, offers) {
                // Squaring skews popularity towards the first offers.
                let offer = next(offers) * next(offers) / offers
                if !picked.contains(offer) { picked.append(offer) }
            }
            let id = "S\(seeker)"
            for offer in picked { applicants[offer].append(id) }
            seekerRecords.append(.init(id: id, choices: picked.map { "O\($0)" }, eligible: seeker % 7 != 6))
        }
        var offerRecords: [MatchingInstance.Offer] = []
        for offer in 0..<offers {
            var ranking = applicants[offer].filter { _ in next(6) != 0 }
            for index in stride(from: ranking.count - 1, to: 0, by: -1) { ranking.swapAt(index, next(index + 1)) }
            offerRecords.append(.init(id: "O\(offer)", capacity: 1 + next(3), ranking: ranking))
        }
        records = (seekerRecords, offerRecords)
    }

    /// Writes the four files; `breakSeekerLine` puts a wrong approval on that line of seekers.csv.
    func write(breakSeekerLine: Int? = nil) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("placements-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let municipalities = [101, 159, 751, 461, 851]
        let levels = ["kommune", "region", "stat"]
        var offers = "ref,title,host_workplace,level,municipality_code,capacity,days,contact_email\r\n"
        for (index, offer) in records.offers.enumerated() {
            offers += "\(offer.id),\"Praktik, hold \(index)\",Værtsby \(index),\(levels[index % 3]),\(municipalities[index % 5]),"
                + "\(offer.capacity),2,vaert\(index)@example.dk\r\n"
        }
        var seekers = "ref,full_name,email,home_workplace,level,municipality_code,manager_email,manager_approval\r\n"
        for (index, seeker) in records.seekers.enumerated() {
            let approval = index + 2 == breakSeekerLine ? "maybe" : seeker.eligible ? "approved" : "pending"
            seekers += "\(seeker.id),Søren Ærø \(index),s\(index)@example.dk,Øster Hus,municipal,\(municipalities[index % 5]),"
                + "leder\(index % 4)@example.dk,\(approval)\r\n"
        }
        var preferences = "seeker_ref,rank,offer_ref\r\n"
        for seeker in records.seekers {
            for (rank, offer) in seeker.choices.enumerated() { preferences += "\(seeker.id),\(rank + 1),\(offer)\r\n" }
        }
        var rankings = "offer_ref,rank,seeker_ref\r\n"
        for offer in records.offers {
            for (rank, seeker) in offer.ranking.enumerated() { rankings += "\(offer.id),\(rank + 1),\(seeker)\r\n" }
        }
        for (name, text) in [("offers.csv", offers), ("seekers.csv", seekers), ("preferences.csv", preferences), ("host_rankings.csv", rankings)] {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        return directory
    }
}
