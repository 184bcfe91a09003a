import COIProto
import COIWire
import Foundation
import Testing

/// Moderation keeps its history (issue 13 item 5): every report stays, a second report by the same
/// person after a restore is a new one beside the first, dismissed reports stay listed with their
/// state, and a moderator can hide a nomination at once with a reason that goes into the audit log.
@Suite struct NominationsModerationTests {
    @Test func reportsAreHistoryAndModeratorsHideAtOnce() async throws {
        let world = try await NominationsWorld.start()
        let cli = world.cli
        let campaign = try await cli.ok(["nominations", "campaigns", "create", "--kind", "idea", "--year", "2026", "--title", "Åbne rapporter"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try await world.setPhase(campaign, "open")
        let nominator = try await world.person("Nina Nord", workplace: "Aalborg Kommune", municipality: 851)
        let nomination = try await world.submit(campaign, token: nominator.token, nominees: ["Søren Sø"], workplace: "Aalborg Bibliotek",
                                                municipality: 851, title: "Lån en cykel")
        // The nominee has no account: the admin records the consent given otherwise, so the nomination is public.
        try await cli.ok(["nominations", "consent", nomination.id])
        let reporter = try await world.person("Rasmus Rapport")
        let moderator = try await world.person("Mona Moderator", roles: ["moderator"])

        // First report, restored; then the same person reports again with another note.
        try await cli.ok(["nominations", "report", nomination.id, "spam", "--note", "første: reklame"], token: reporter.token)
        try await cli.rejected(["nominations", "report", nomination.id, "offensive"], "ALREADY_EXISTS", token: reporter.token)
        try await cli.ok(["nominations", "restore", nomination.id, "--reason", "ikke reklame"], token: moderator.token)
        try await cli.ok(["nominations", "report", nomination.id, "offensive", "--note", "anden: grov tone"], token: reporter.token)

        let reports = try await cli.array(["nominations", "reports", campaign], token: moderator.token)
        #expect(reports.count == 2)
        let first = try #require(reports.first), second = try #require(reports.last)
        #expect(first["note"] as? String == "første: reklame" && first["reason"] as? String == "SPAM")
        #expect(first["dismissed"] as? Bool == true && !((first["dismissed_at"] as? String) ?? "").isEmpty)
        #expect(((first["dismissed_by"] as? String) ?? "").contains(moderator.id))
        #expect(second["note"] as? String == "anden: grov tone" && second["dismissed"] as? Bool == false)
        #expect(first["id"] as? String != second["id"] as? String && ((first["id"] as? String) ?? "").hasPrefix("rep_"))
        let open = try await cli.array(["nominations", "reports", campaign, "--open"], token: moderator.token)
        #expect(open.count == 1 && open.first?["id"] as? String == second["id"] as? String)
        // The table says which report is open and which was dismissed.
        let table = try await cli.ok(["nominations", "reports", campaign], token: moderator.token)
        #expect(table.contains("STATE") && table.contains("dismissed 20") && table.contains("open"))

        // Hide at once: a moderator only, a reason required, audited; hidden from others.
        try await cli.rejected(["nominations", "hide", nomination.id, "--reason", "nej"], "PERMISSION_DENIED", token: reporter.token)
        try await world.rejected(.invalidArgument, mentions: ["reason"], Coi_Nominations_V1_Nominations.Method.hide,
                                 Coi_Nominations_V1_HideRequest.with { $0.nominationID = nomination.id }, token: moderator.token)
        let missing = try await cli.run(["nominations", "hide", nomination.id], token: moderator.token)
        #expect(missing.status == 64 && missing.stderr.contains("--reason"))
        let visibleBefore = try await world.list(campaign, token: reporter.token).map(\.id)
        let hidden = try await cli.object(["nominations", "hide", nomination.id, "--reason", "personfølsomt indhold"], token: moderator.token)
        #expect(hidden["hidden"] as? Bool == true)
        try await cli.rejected(["nominations", "hide", nomination.id, "--reason", "igen"], "FAILED_PRECONDITION", mentions: ["already hidden"],
                               token: moderator.token)
        #expect(try await world.nomination(nomination.id).hidden)
        #expect(!(try await world.list(campaign, token: reporter.token).contains { $0.id == nomination.id }))
        let audit = try await cli.array(["audit", "ls", "--method", "coi.nominations.v1.Nominations/Hide"])
        #expect(audit.contains { $0["reason"] as? String == "personfølsomt indhold" && ($0["target"] as? String) == "nomination:\(nomination.id)" })
        // Restore shows it again and dismisses the open report; both reports are still there.
        try await cli.ok(["nominations", "restore", nomination.id, "--reason", "rettet"], token: moderator.token)
        #expect(try await world.list(campaign, token: reporter.token).map(\.id) == visibleBefore)
        #expect(!(try await world.nomination(nomination.id).hidden))
        #expect(try await cli.array(["nominations", "reports", campaign], token: moderator.token).allSatisfy { $0["dismissed"] as? Bool == true })
        await world.stop()
    }
}
