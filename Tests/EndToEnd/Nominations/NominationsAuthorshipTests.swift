import COIProto
import COIWire
import Foundation
import Testing

/// Campaigns, idea storms and juror seats say who made and who last changed them; exports come as
/// CSV or JSON lines, as asked.
@Suite struct NominationsAuthorshipTests {
    @Test func whoDidItAndExportFormats() async throws {
        let world = try await NominationsWorld.start()
        let cli = world.cli
        let anna = try await world.person("Anna Admin", roles: ["admin"])
        let campaign = try await cli.object(["nominations", "campaigns", "create", "--kind", "idea", "--year", "2026", "--title", "Hvem gjorde det"],
                                            token: anna.token)
        let id = try #require(campaign["id"] as? String)
        #expect(campaign["created_by"] as? String == "account:\(anna.id)" && campaign["updated_by"] as? String == "account:\(anna.id)")
        // The local admin (root on the socket) changes it: updated_by follows, created_by stays.
        try await cli.ok(["nominations", "campaigns", "update", id, "--prize", "Et diplom"])
        // --version is the campaign's (optimistic concurrency), not coictl's.
        try await cli.rejected(["nominations", "campaigns", "update", id, "--prize", "To diplomer", "--version", "1"], "ABORTED",
                               mentions: ["version 2, you sent 1"])
        let shown = try await cli.object(["nominations", "campaigns", "show", id])
        #expect(shown["created_by"] as? String == "account:\(anna.id)")
        let root = try #require(shown["updated_by"] as? String)
        #expect(root.hasPrefix("unix:") && root != "account:\(anna.id)")
        #expect(try await cli.ok(["nominations", "campaigns", "show", id]).contains("account:\(anna.id)"))
        try await world.setPhase(id, "open")
        #expect(try await cli.object(["nominations", "campaigns", "show", id], token: anna.token)["updated_by"] as? String == root)

        // Idea storms.
        let opens = IdeaStormTests.time(Date().addingTimeInterval(-60))
        let closes = IdeaStormTests.time(Date().addingTimeInterval(3600))
        let storm = try await cli.ok(["nominations", "storms", "create", "--topic", "Færre skemaer", "--opens", opens, "--closes", closes],
                                     token: anna.token).trimmingCharacters(in: .whitespacesAndNewlines)
        let stormShown = try await cli.object(["nominations", "storms", "show", storm])
        #expect(stormShown["created_by"] as? String == "account:\(anna.id)" && stormShown["updated_by"] as? String == "account:\(anna.id)")
        #expect((stormShown["updated_at"] as? String)?.isEmpty == false)

        // Juror seats: seated by root, moved to a region by Anna.
        let juror = try await world.person("Jonna Jury", workplace: "KL", municipality: 101)
        try await cli.ok(["nominations", "jurors", "add", id, juror.id])
        try await cli.ok(["nominations", "jurors", "add", id, juror.id, "--region", "hovedstaden"], token: anna.token)
        let seat = try #require(try await cli.array(["nominations", "jurors", "ls", id]).first)
        #expect(seat["created_by"] as? String == root && seat["updated_by"] as? String == "account:\(anna.id)" && seat["region"] as? String == "hovedstaden")

        // Exports: CSV by default, JSON lines with --format jsonl or --json, typed values.
        let nominator = try await world.person("Nina Nord", workplace: "Aalborg Kommune", municipality: 851)
        let nomination = try await world.submit(campaign: id, token: nominator.token)
        let csv = try await cli.ok(["nominations", "export", id, "nominations"])
        #expect(csv.hasPrefix("id,campaign_id,state,") && csv.contains(",no,"))
        for arguments in [["--format", "jsonl"], ["--json"]] {
            let jsonl = try await cli.ok(["nominations", "export", id, "nominations"] + arguments)
            let rows = try jsonLines(jsonl)
            #expect(rows.count == 1 && rows[0]["id"] as? String == nomination && rows[0]["consented"] as? Bool == false
                    && rows[0]["municipality_code"] as? Int == 851 && rows[0]["title"] as? String == "Lån en cykel", "\(arguments)")
        }
        #expect(try await cli.ok(["nominations", "export", id, "nominations", "--json", "--format", "csv"]).hasPrefix("id,campaign_id,"))
        let wrong = try await cli.run(["nominations", "export", id, "nominations", "--format", "xml"])
        #expect(wrong.status == 64 && wrong.stderr.contains("csv"))
        do {
            _ = try await world.stream(Coi_Nominations_V1_Campaigns.Method.export, Coi_Nominations_V1_ExportRequest.with {
                $0.campaignID = id
                $0.table = .nominations
                $0.format = .UNRECOGNIZED(9)
            })
            Issue.record("an export in format 9 succeeded")
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument && error.fieldViolations.map(\.field) == ["format"], "\(error)")
        }
        await world.stop()
    }
}

extension NominationsWorld {
    /// One nomination in Aalborg; returns its id.
    func submit(campaign: String, token: String) async throws -> String {
        try await submit(campaign, token: token, nominees: ["Søren Sø"], workplace: "Aalborg Bibliotek", municipality: 851, title: "Lån en cykel").id
    }
}
