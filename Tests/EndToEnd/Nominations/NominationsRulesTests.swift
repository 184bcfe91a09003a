import COIProto
import COIWire
import Foundation
import Testing

/// Dated phases, lost updates, blind review and bad input, through the real coid.
@Suite struct NominationsRulesTests {
    @Test func datedPhasesBlindReviewAndLostUpdates() async throws {
        let world = try await NominationsWorld.start()
        let cli = world.cli
        // Nominations opened yesterday by date, screening starts tomorrow: the phase follows the dates alone.
        let yesterday = IdeaStormTests.time(Date().addingTimeInterval(-86_400))
        let tomorrow = IdeaStormTests.time(Date().addingTimeInterval(86_400))
        let campaign = try await cli.ok(["nominations", "campaigns", "create", "--kind", "copycat", "--year", "2026",
                                         "--title", "Kopikatprisen", "--blind", "--normalise",
                                         "--schedule", "open=\(yesterday)", "--schedule", "screening=\(tomorrow)",
                                         "--criterion", "value:2:Value created", "--criterion", "rollout:1:How well it was rolled out"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let shown = try await cli.object(["nominations", "campaigns", "show", campaign])
        #expect(shown["phase"] as? String == "NOMINATIONS_OPEN" && shown["kind"] as? String == "COPYCAT_AWARD")
        #expect((shown["criteria"] as? [Any])?.count == 2)

        // Bad input names the field; the schedule must run forward.
        try await cli.rejected(["nominations", "campaigns", "create", "--kind", "idea", "--year", "2026", "--title", "X",
                                "--schedule", "jury=2026-01-01", "--schedule", "screening=2026-02-01"],
                               "INVALID_ARGUMENT", mentions: ["JURY must start after SCREENING"])
        try await cli.rejected(["nominations", "campaigns", "create", "--kind", "idea", "--year", "1999", "--title", "X"],
                               "INVALID_ARGUMENT", mentions: ["field year"])

        // A lost update: two admins read version 1; the second write is ABORTED.
        let stale = Coi_Nominations_V1_UpdateCampaignRequest.with {
            $0.id = campaign
            $0.version = 1
            $0.updateMask = ["prize"]
            $0.prize = "Et diplom"
        }
        _ = try await world.call(Coi_Nominations_V1_Campaigns.Method.update, stale)
        try await world.rejected(.aborted, mentions: ["version"], Coi_Nominations_V1_Campaigns.Method.update, stale)

        // A copycat nomination says where the idea came from.
        let nora = try await world.person("Nora Nielsen", workplace: "Silkeborg Kommune", municipality: 740)
        try await world.rejected(.invalidArgument, mentions: ["origin"], Coi_Nominations_V1_Nominations.Method.submit,
                                 Coi_Nominations_V1_SubmitNominationRequest.with { $0.campaignID = campaign; $0.nominees = [.with { $0.name = "Team Bo" }]
                                     $0.workplace = "Bostedet"; $0.municipalityCode = 740; $0.title = "T"; $0.idea = "I"; $0.difference = "D" },
                                 token: nora.token)
        try await world.rejected(.invalidArgument, mentions: ["municipality_code"], Coi_Nominations_V1_Nominations.Method.submit,
                                 Coi_Nominations_V1_SubmitNominationRequest.with { $0.campaignID = campaign; $0.nominees = [.with { $0.name = "Team Bo" }]
                                     $0.workplace = "Bostedet"; $0.municipalityCode = 411; $0.title = "T"; $0.idea = "I"; $0.difference = "D"
                                     $0.origin = "Aarhus" }, token: nora.token)
        // The wiki case it links to exists (a link to a missing case is refused: NominationsInputTests).
        _ = try await world.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
            $0.title = "Case:Madplan-aarhus"
            $0.text = "Beboerne i Aarhus planlægger maden sammen."
            $0.caseFields = .with {
                $0.level = .municipality
                $0.municipalityCode = 751
                $0.sector = "social"
            }
        }, token: nora.token)
        let nomination = try await world.call(Coi_Nominations_V1_Nominations.Method.submit, Coi_Nominations_V1_SubmitNominationRequest.with {
            $0.campaignID = campaign
            $0.nominees = [.with { $0.name = "Bo Bøgh" }]
            $0.workplace = "Bostedet Lyngen"
            $0.municipalityCode = 740
            $0.title = "Madplan kopieret fra Aarhus"
            $0.idea = "Beboerne planlægger maden sammen."
            $0.difference = "Mindre madspild."
            $0.originWikiCase = "wiki:case/madplan-aarhus"
        }, token: nora.token)
        #expect(nomination.originWikiCase == "wiki:case/madplan-aarhus" && nomination.region == "midtjylland")
        // The nominator edits while nominations are open; a stale version is ABORTED.
        let edited = try await world.call(Coi_Nominations_V1_Nominations.Method.update, Coi_Nominations_V1_UpdateNominationRequest.with {
            $0.id = nomination.id
            $0.version = nomination.version
            $0.updateMask = ["title"]
            $0.title = "Fælles madplan kopieret fra Aarhus"
        }, token: nora.token)
        #expect(edited.title == "Fælles madplan kopieret fra Aarhus" && edited.version == nomination.version + 1)
        try await world.rejected(.aborted, Coi_Nominations_V1_Nominations.Method.update, Coi_Nominations_V1_UpdateNominationRequest.with {
            $0.id = nomination.id
            $0.version = nomination.version
            $0.updateMask = ["idea"]
            $0.idea = "Another"
        }, token: nora.token)
        // Someone else may not edit it.
        let other = try await world.person("Otto Other")
        try await world.rejected(.permissionDenied, Coi_Nominations_V1_Nominations.Method.update, Coi_Nominations_V1_UpdateNominationRequest.with {
            $0.id = nomination.id
            $0.version = edited.version
            $0.updateMask = ["idea"]
            $0.idea = "Mine now"
        }, token: other.token)

        // Blind review: a juror sees the idea but no names; the admin sees them.
        let juror = try await world.person("Jytte Jury", workplace: "KL", municipality: 101)
        try await cli.ok(["nominations", "jurors", "add", campaign, juror.id])
        try await world.setPhase(campaign, "screening")
        try await cli.ok(["nominations", "screen", campaign, "eligible", nomination.id])
        try await cli.ok(["nominations", "screen", campaign, "shortlist", nomination.id])
        try await world.setPhase(campaign, "jury")
        let seen = try await world.nomination(nomination.id, token: juror.token)
        #expect(seen.nominees.map(\.name) == [""] && seen.nominatorID.isEmpty && seen.nominatorName.isEmpty)
        #expect(seen.title == "Fælles madplan kopieret fra Aarhus")
        let work = try await world.call(Coi_Nominations_V1_Jury.Method.listAssignments, Coi_Nominations_V1_ListAssignmentsRequest.with {
            $0.campaignID = campaign
        }, token: juror.token)
        #expect(work.assignments.map(\.nomination.id) == [nomination.id] && work.assignments[0].nomination.nominees[0].name.isEmpty)
        #expect(try await world.nomination(nomination.id).nominees.map(\.name) == ["Bo Bøgh"])
        // Scores need one value per criterion of this campaign's rubric (2).
        try await world.rejected(.invalidArgument, mentions: ["sheets[0].scores"], Coi_Nominations_V1_Jury.Method.score,
                                 Coi_Nominations_V1_ScoreRequest.with { $0.campaignID = campaign
                                     $0.sheets = [.with { $0.nominationID = nomination.id; $0.scores = [4, 4, 4, 4] }] },
                                 token: juror.token)
        // Someone who is not on the jury cannot score, even as a member.
        try await world.rejected(.permissionDenied, Coi_Nominations_V1_Jury.Method.score,
                                 Coi_Nominations_V1_ScoreRequest.with { $0.campaignID = campaign
                                     $0.sheets = [.with { $0.nominationID = nomination.id; $0.scores = [4, 4] }] },
                                 token: other.token)
        // A juror's spreadsheet: one sheet per line, scores in rubric order (value ×2, rollout ×1).
        let file = world.cli.daemon.directory.appendingPathComponent("sheets.csv").path
        try "\(nomination.id),4,5\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await cli.ok(["nominations", "score", campaign, "--file", file], token: juror.token).contains("saved 1 sheet"))
        let sheets = try await cli.array(["nominations", "scores", campaign], token: juror.token)
        #expect(sheets.count == 1 && abs((sheets[0]["weighted"] as? Double ?? 0) - 13.0 / 3) < 1e-9)
        let preview = try await cli.object(["nominations", "results", "compute", campaign])
        #expect(preview["national_winner_id"] as? String == nomination.id && preview["published"] as? Bool == false)

        // The rubric is frozen once the jury phase began.
        try await cli.rejected(["nominations", "campaigns", "update", campaign, "--criterion", "value:1"], "FAILED_PRECONDITION", mentions: ["JURY"])
        await world.stop()
    }
}

/// The event feed follows new events as they are committed.
@Suite struct NominationsFeedTests {
    @Test func followingTheFeedDeliversNewEvents() async throws {
        let world = try await NominationsWorld.start()
        let member = try await world.person("Website Reader")
        let connection = try await world.cli.daemon.connect()
        let stream = try connection.stream(Coi_Nominations_V1_Campaigns.Method.feed, .with { $0.follow = true },
                                           metadata: [("authorization", "Bearer \(member.token)")])
        var events = stream.replies.makeAsyncIterator()
        // Made after the stream opened: the follower sees it without asking again.
        let campaign = try await world.cli.ok(["nominations", "campaigns", "create", "--kind", "idea", "--year", "2027", "--title", "Live"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let first = try #require(try await events.next())
        #expect(first.kind == "campaign.created" && first.subject == campaign && first.cursor == 1)
        try await world.setPhase(campaign, "open")
        let second = try #require(try await events.next())
        #expect(second.kind == "phase.changed" && second.detail == "NOMINATIONS_OPEN" && second.cursor == 2)
        await connection.close()
        await world.stop()
    }

    @Test func aPhaseReachedByDateIsAnnouncedWithoutAnyCall() async throws {
        let world = try await NominationsWorld.start()
        let member = try await world.person("Website Reader")
        let connection = try await world.cli.daemon.connect()
        let stream = try connection.stream(Coi_Nominations_V1_Campaigns.Method.feed, .with { $0.follow = true },
                                           metadata: [("authorization", "Bearer \(member.token)")])
        var events = stream.replies.makeAsyncIterator()
        // Opens in two to three seconds (whole seconds, as an admin would write it).
        let opens = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3))
        let campaign = try await world.call(Coi_Nominations_V1_Campaigns.Method.create, Coi_Nominations_V1_CreateCampaignRequest.with {
            $0.kind = .ideaAward
            $0.year = 2027
            $0.title = "Opens by date"
            $0.schedule = [.with { $0.phase = .nominationsOpen; $0.startsAt = opens }]
        })
        let created = try #require(try await events.next())
        #expect(created.kind == "campaign.created" && created.subject == campaign.id)
        // Nobody calls: the daemon's own clock announces the phase when its date comes.
        let opened = try #require(try await events.next())
        #expect(opened.kind == "phase.changed" && opened.subject == campaign.id && opened.detail == "NOMINATIONS_OPEN")
        #expect(opened.time == campaign.schedule.first?.startsAt && opened.time.hasPrefix(String(opens.dropLast())))
        // Announced once, also after a restart (the announcer compares with the feed).
        await connection.close()
        try await world.cli.daemon.restart()
        let fresh = try await world.cli.daemon.connect()
        var replay: [Coi_Nominations_V1_Event] = []
        let feed = try fresh.stream(Coi_Nominations_V1_Campaigns.Method.feed)
        for try await event in feed.replies { replay.append(event) }
        #expect(replay.filter { $0.kind == "phase.changed" }.map(\.subject) == [campaign.id])
        await fresh.close()
        await world.cli.daemon.stop()
    }
}
