import COIHostTesting
import COIPluginKit
import COIProto
import Foundation
import Testing
@testable import COIBarometer

/// The respondent's side: the invitation token alone admits a caller without an account, to its own
/// workplace's response only.
@Suite struct RespondentTests {
    @Test func aWorkplaceSavesResumesCompletesAndIsThenLocked() async throws {
        let fixture = try await BarometerFixture()
        let wave = try await fixture.drawnWave()
        let units = try await fixture.sample(wave)
        #expect(units.count == 24)
        let token = try #require(units.first?["token"])
        #expect(token.hasPrefix("inv_") && token.count == 36)

        let opened = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.open, .with { $0.token = token })
        #expect(opened.status == .invited && opened.workplace.contains("Ærø") && opened.asked == ["q1", "q3", "q4"])

        let saved = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.save, .with {
            $0.token = token
            $0.answers = #"{"q1": "yes", "q4": {"r1": 4}}"#
        })
        #expect(saved.status == .started && saved.asked == ["q1", "q2", "q3", "q4"])

        // Routing: withdrawing q1's yes while q2 is answered is refused, and nothing changes.
        _ = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.save, .with {
            $0.token = token
            $0.answers = #"{"q2": "a"}"#
        })
        let skipped = await rpcError {
            _ = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.save, .with {
                $0.token = token
                $0.answers = #"{"q1": "no"}"#
            })
        }
        #expect(skipped?.code == .invalidArgument && skipped?.message.contains("q2") == true)
        let outOfRange = await rpcError {
            _ = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.save, .with {
                $0.token = token
                $0.answers = #"{"q3": 101}"#
            })
        }
        #expect(outOfRange?.code == .invalidArgument && outOfRange?.fieldViolations.first?.field == "answers.q3")
        let resumed = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.open, .with { $0.token = token })
        #expect(resumed.answers.contains(#""q2":"a""#) && !resumed.answers.contains("q3"))

        let completed = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.save, .with {
            $0.token = token
            $0.answers = #"{"q3": 12}"#
            $0.complete = true
        })
        #expect(completed.status == .completed)
        let locked = await rpcError {
            _ = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.save, .with {
                $0.token = token
                $0.answers = #"{"q3": 13}"#
            })
        }
        #expect(locked?.code == .failedPrecondition && locked?.reason == "RESPONSE_LOCKED")

        let reminders = try await fixture.sample(wave, table: .reminders)
        #expect(reminders.count == 23 && !reminders.contains { $0["token"] == token })
    }

    @Test func aWrongTokenIsRefusedAndRefusalIsFinal() async throws {
        let fixture = try await BarometerFixture()
        let wave = try await fixture.drawnWave()
        let units = try await fixture.sample(wave)
        let wrong = await rpcError {
            _ = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.save, .with {
                $0.token = "inv_guessed"
                $0.answers = #"{"q1": "yes"}"#
            })
        }
        #expect(wrong?.code == .unauthenticated)
        let token = try #require(units.last?["token"])
        let refused = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.refuse, .with { $0.token = token })
        #expect(refused.status == .refused)
        let again = await rpcError {
            _ = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.save, .with {
                $0.token = token
                $0.answers = #"{"q1": "yes"}"#
            })
        }
        #expect(again?.reason == "RESPONSE_REFUSED")
        let audited = try await fixture.bench.store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT target FROM identity_audit WHERE method LIKE '%Respondents/%'")
        }
        let unit = try #require(units.last?["unit_id"])
        #expect(audited.contains("unit:\(wave)/\(unit)"))
    }

    @Test func benchmarkShowsOwnAnswersBesideThePeerGroupOrABroaderOne() async throws {
        let fixture = try await BarometerFixture()
        let wave = try await fixture.drawnWave()
        let units = try await fixture.sample(wave)
        for (index, unit) in units.enumerated() {
            _ = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.save, .with {
                $0.token = unit["token"] ?? ""
                $0.answers = index % 2 == 0 ? #"{"q1": "yes", "q2": "a", "q3": 10, "q4": {"r1": 3, "r2": 5}}"# : #"{"q1": "no", "q3": 4}"#
                $0.complete = true
            })
        }
        let reply = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.benchmark, .with { $0.token = units[0]["token"] ?? "" })
        let q1 = reply.rows.filter { $0.question == "q1" }
        #expect(q1.count == 2 && q1.allSatisfy { $0.answer == "yes" && !$0.estimate.suppressed })
        #expect(reply.rows.contains { $0.question == "q4.r1" && $0.answer == "3" })
        // q2 is asked of half the workplaces: where the peer cell has too few answerers, a broader group is shown.
        let q2 = try #require(reply.rows.first { $0.question == "q2" })
        #expect(!q2.estimate.suppressed)
        #expect(q2.peerGroup == "overall" || q2.peerGroup.hasPrefix("level=\(units[0]["level"] ?? "")"))
    }

    /// Item 7: where the workplace's own peer cell (level × sector × size class) has fewer
    /// respondents than min_respondents, the reply names the broader group it falls back to,
    /// level × sector, and gives exactly that group's estimates.
    @Test func aSuppressedPeerCellFallsBackToLevelAndSectorWithThatGroupsNumbers() async throws {
        let fixture = try await BarometerFixture()
        let wave = try await fixture.drawnWave()
        let units = try await fixture.sample(wave)
        for (index, unit) in units.enumerated() {
            _ = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.save, .with {
                $0.token = unit["token"] ?? ""
                $0.answers = index % 3 == 0 ? #"{"q1": "no", "q3": \#(index)}"# : #"{"q1": "yes", "q2": "a", "q3": \#(index)}"#
                $0.complete = true
            })
        }
        func cell(_ unit: [String: String], _ variables: [String]) -> String { variables.map { unit[$0] ?? "" }.joined(separator: ",") }
        let peerCounts = Dictionary(grouping: units) { cell($0, ["level", "sector", "size_class"]) }.mapValues(\.count)
        let groupCounts = Dictionary(grouping: units) { cell($0, ["level", "sector"]) }.mapValues(\.count)
        let minimum = Int(try await fixture.call(Coi_Barometer_V1_Waves.Method.get, .with { $0.id = wave }).minRespondents)
        #expect(minimum == 5)
        // A workplace whose peer cell is below the minimum while its level × sector group is not.
        let unit = try #require(units.first {
            peerCounts[cell($0, ["level", "sector", "size_class"])] ?? 0 < minimum && groupCounts[cell($0, ["level", "sector"])] ?? 0 >= minimum
        })
        let level = unit["level"] ?? "", sector = unit["sector"] ?? "", size = unit["size_class"] ?? ""

        // The peer cell itself is suppressed...
        let cells = try await fixture.call(Coi_Barometer_V1_Estimates.Method.estimate, .with {
            $0.waveID = wave
            $0.questions = ["q1"]
            $0.by = ["level,sector,size_class"]
            $0.omitOverall = true
        })
        let own = cells.estimates.filter { $0.domain == "\(level),\(sector),\(size)" }
        #expect(!own.isEmpty && own.allSatisfy { $0.suppressed && !$0.hasNumbers })

        // ...so the reply shows level × sector, named as such, with that group's numbers.
        let reply = try await fixture.anonymous(Coi_Barometer_V1_Respondents.Method.benchmark, .with { $0.token = unit["token"] ?? "" })
        let groups = try await fixture.call(Coi_Barometer_V1_Estimates.Method.estimate, .with {
            $0.waveID = wave
            $0.questions = ["q1", "q3"]
            $0.by = ["level,sector"]
            $0.omitOverall = true
        })
        let expected = groups.estimates.filter { $0.domain == "\(level),\(sector)" }
        let shown = reply.rows.filter { ["q1", "q3"].contains($0.question) }
        #expect(shown.count == expected.count && shown.count == 3, "q1 yes and no, and the mean of q3")
        let ownIndex = try #require(units.firstIndex { $0["unit_id"] == unit["unit_id"] })
        for (row, estimate) in zip(shown, expected) {
            #expect(row.peerGroup == "level=\(level), sector=\(sector)")
            #expect(row.estimate == estimate, "\(row.estimate) vs \(estimate)")
            #expect(row.estimate.hasNumbers && row.estimate.respondents == Int32(groupCounts[cell(unit, ["level", "sector"])] ?? 0))
            #expect(row.answer == (row.question == "q3" ? String(ownIndex) : (ownIndex % 3 == 0 ? "no" : "yes")))
        }
    }
}
