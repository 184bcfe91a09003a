import COIProto
import COIWire
import Foundation
import Testing

/// Moving a campaign back to an earlier phase is refused, naming the work it would undercut, unless
/// forced with a reason that goes into the audit log.
@Suite struct NominationsPhaseGuardTests {
    @Test func backwardMovesNeedForceAndAReason() async throws {
        let world = try await NominationsWorld.start()
        let cli = world.cli
        let campaign = try await cli.ok(["nominations", "campaigns", "create", "--kind", "idea", "--year", "2026", "--title", "Tilbage igen"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // Nothing done yet: still a backward move, still refused without --force.
        try await world.setPhase(campaign, "open")
        try await cli.rejected(["nominations", "campaigns", "phase", campaign, "draft"], "FAILED_PRECONDITION",
                               mentions: ["back from NOMINATIONS_OPEN to DRAFT", "nothing recorded yet", "--force"])
        let nominator = try await world.person("Nina Nord", workplace: "Aalborg Kommune", municipality: 851)
        let nomination = try await world.submit(campaign, token: nominator.token, nominees: ["Søren Sø"], workplace: "Aalborg Bibliotek",
                                                municipality: 851, title: "Lån en cykel")
        try await world.setPhase(campaign, "screening")
        try await cli.ok(["nominations", "screen", campaign, "eligible", nomination.id])
        try await cli.ok(["nominations", "screen", campaign, "shortlist", nomination.id])
        let juror = try await world.person("Jonna Jury", workplace: "KL", municipality: 101)
        try await cli.ok(["nominations", "jurors", "add", campaign, juror.id])
        try await world.setPhase(campaign, "jury")
        try await cli.ok(["nominations", "score", campaign, nomination.id, "--scores", "4,4,4,4"], token: juror.token)

        // Jury → draft: the sheets, the screening and the nomination are named; nothing changes.
        try await cli.rejected(["nominations", "campaigns", "phase", campaign, "draft"], "FAILED_PRECONDITION",
                               mentions: ["back from JURY to DRAFT", "1 score sheet by 1 juror", "1 screening decision",
                                          "1 submitted nomination", "--force --reason"])
        #expect(try await cli.object(["nominations", "campaigns", "show", campaign])["phase"] as? String == "JURY")
        // --force needs a reason, in coictl and in the API.
        let noReason = try await cli.run(["nominations", "campaigns", "phase", campaign, "screening", "--force"])
        #expect(noReason.status == 64 && noReason.stderr.contains("--force needs --reason"))
        try await world.rejected(.invalidArgument, mentions: ["reason"], Coi_Nominations_V1_Campaigns.Method.setPhase,
                                 Coi_Nominations_V1_SetPhaseRequest.with { $0.id = campaign; $0.phase = .screening; $0.force = true })

        // Forced, with a reason: moved, the data kept, and the audit log says what was overridden.
        let moved = try await cli.object(["nominations", "campaigns", "phase", campaign, "screening", "--force",
                                          "--reason", "Juryen skal se én nominering mere"])
        #expect(moved["phase"] as? String == "SCREENING")
        #expect(try await cli.array(["nominations", "scores", campaign]).count == 1)
        let audit = try await cli.array(["audit", "ls", "--method", "coi.nominations.v1.Campaigns/SetPhase"])
        let forced = try #require(audit.first)
        #expect((forced["reason"] as? String)?.contains("forced back from JURY to SCREENING despite 1 score sheet by 1 juror") == true)
        #expect((forced["reason"] as? String)?.hasSuffix("Juryen skal se én nominering mere") == true)
        // Forward again needs nothing.
        try await world.setPhase(campaign, "jury")
        await world.stop()
    }
}
