import COIProto
import COIWire
import Foundation
import Testing

/// Idea storms through the real coid: an open call, proposals, comments, limited votes, assessment
/// with a published answer, and withdrawal.
@Suite struct IdeaStormTests {
    @Test func openCallWithVotesAssessmentAndWithdrawal() async throws {
        let world = try await NominationsWorld.start()
        let cli = world.cli
        let now = Date()
        let storm = try await cli.ok(["nominations", "storms", "create", "--topic", "Mindre bureaukrati i hjemmeplejen",
                                      "--opens", Self.time(now.addingTimeInterval(-60)), "--closes", Self.time(now.addingTimeInterval(3600)),
                                      "--votes", "2"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let later = try await cli.ok(["nominations", "storms", "create", "--topic", "Next year",
                                      "--opens", Self.time(now.addingTimeInterval(86_400)), "--closes", Self.time(now.addingTimeInterval(90_000))])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try await cli.rejected(["nominations", "storms", "create", "--topic", "Backwards", "--opens", "2026-05-01", "--closes", "2026-04-01"],
                               "INVALID_ARGUMENT", mentions: ["closes_at"])
        let open = try await cli.array(["nominations", "storms", "ls", "--open"])
        #expect(open.map { $0["id"] as? String } == [storm])

        let ida = try await world.person("Ida Idé", workplace: "Hjemmeplejen Syd", municipality: 461)
        let ole = try await world.person("Ole Ohlsen")
        try await cli.rejected(["nominations", "storms", "propose", later, "--title", "Too early", "--body", "x"], "FAILED_PRECONDITION",
                               mentions: ["opens at"], token: ida.token)
        var proposals: [String] = []
        for title in ["Fælles kalender", "Færre skemaer", "Digital nøgleboks"] {
            proposals.append(try await cli.ok(["nominations", "storms", "propose", storm, "--title", title, "--body", "Forslag: \(title)"],
                                              token: ida.token).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try await cli.ok(["nominations", "storms", "comment", proposals[0], "--body", "God idé!"], token: ole.token)
        let comments = try await cli.array(["nominations", "storms", "comments", proposals[0]])
        #expect(comments.count == 1 && comments[0]["author_name"] as? String == "Ole Ohlsen")

        // Two votes per person in this storm.
        try await cli.ok(["nominations", "storms", "vote", proposals[0]], token: ole.token)
        try await cli.rejected(["nominations", "storms", "vote", proposals[0]], "ALREADY_EXISTS", token: ole.token)
        try await cli.ok(["nominations", "storms", "vote", proposals[1]], token: ole.token)
        try await cli.rejected(["nominations", "storms", "vote", proposals[2]], "RESOURCE_EXHAUSTED", mentions: ["2 votes"], token: ole.token)
        try await cli.ok(["nominations", "storms", "vote", proposals[1], "--undo"], token: ole.token)
        let voted = try await cli.object(["nominations", "storms", "vote", proposals[2]], token: ole.token)
        #expect(voted["votes"] as? Int == 1)

        // Assessment: accepted and rejected need a published answer.
        try await cli.rejected(["nominations", "storms", "assess", proposals[0], "accepted"], "INVALID_ARGUMENT", mentions: ["answer"])
        try await cli.ok(["nominations", "storms", "assess", proposals[1], "evaluating"])
        let accepted = try await cli.object(["nominations", "storms", "assess", proposals[0], "accepted", "--answer", "Vi afprøver den i Odense."])
        #expect(accepted["assessment"] as? String == "ACCEPTED" && accepted["answer"] as? String == "Vi afprøver den i Odense.")
        #expect((accepted["answered_at"] as? String)?.isEmpty == false)
        let acceptedOnly = try await cli.array(["nominations", "storms", "proposals", storm, "--assessment", "accepted"])
        #expect(acceptedOnly.map { $0["id"] as? String } == [proposals[0]])

        // Withdrawal: by the author only, and not once answered.
        try await cli.rejected(["nominations", "storms", "withdraw", proposals[2]], "PERMISSION_DENIED", token: ole.token)
        try await cli.rejected(["nominations", "storms", "withdraw", proposals[0]], "FAILED_PRECONDITION", mentions: ["answered"], token: ida.token)
        try await cli.ok(["nominations", "storms", "withdraw", proposals[2]], token: ida.token)
        #expect(try await cli.array(["nominations", "storms", "proposals", storm]).count == 2)
        #expect(try await cli.array(["nominations", "storms", "proposals", storm, "--withdrawn"]).count == 3)
        try await cli.rejected(["nominations", "storms", "vote", proposals[2]], "FAILED_PRECONDITION", token: ida.token)
        await world.stop()
    }

    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
