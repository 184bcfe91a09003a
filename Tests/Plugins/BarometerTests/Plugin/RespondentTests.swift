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
}
