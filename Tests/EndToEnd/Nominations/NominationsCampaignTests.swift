import COIProto
import COIWire
import Foundation
import Testing

/// A whole Best Smallest Idea campaign across the five regions, through the socket of the real coid:
/// nominations, consent, endorsements, moderation, screening, a jury with recusal, results, exports
/// and the feed.
@Suite struct NominationsCampaignTests {
    /// One municipality per region: Aalborg, Aarhus, Odense, København, Roskilde.
    static let regions: [(slug: String, municipality: Int32, town: String)] = [
        ("nordjylland", 851, "Aalborg"), ("midtjylland", 751, "Aarhus"), ("syddanmark", 461, "Odense"),
        ("hovedstaden", 101, "København"), ("sjaelland", 265, "Roskilde"),
    ]

    @Test func wholeCampaignAcrossAllFiveRegions() async throws {
        let world = try await NominationsWorld.start()
        let cli = world.cli

        // The admin creates the campaign (with coictl); it starts in DRAFT.
        let campaign = try await cli.ok(["nominations", "campaigns", "create", "--kind", "idea", "--year", "2026",
                                         "--title", "Danmarks Bedste Mindste Idé", "--prize", "10.000 kr. til et arrangement",
                                         "--limit", "2"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(campaign.hasPrefix("cmp_"))
        let nominators = try await Self.regions.asyncMap { region in
            try await world.person("Nominator in \(region.town)", workplace: "\(region.town) Jobcenter", municipality: Int(region.municipality))
        }
        try await world.rejected(.failedPrecondition, mentions: ["DRAFT", "NOMINATIONS_OPEN"], Coi_Nominations_V1_Nominations.Method.submit,
                                 Coi_Nominations_V1_SubmitNominationRequest.with { $0.campaignID = campaign; $0.nominees = [.with { $0.name = "X" }]
                                     $0.workplace = "W"; $0.municipalityCode = 101; $0.title = "T"; $0.idea = "I"; $0.difference = "D" },
                                 token: nominators[0].token)
        try await world.setPhase(campaign, "open")

        // Two nominations per region: "A" (the strong one) and "B".
        var strong: [String] = []
        var other: [String] = []
        for (index, region) in Self.regions.enumerated() {
            let a = try await world.submit(campaign, token: nominators[index].token, nominees: ["Anne \(region.town)"],
                                           workplace: "\(region.town) Rådhus", municipality: region.municipality,
                                           title: "Kaffe, te og kage i \(region.town)")
            #expect(a.region == region.slug && a.state == .submitted && !a.consented)
            let b = try await world.submit(campaign, token: nominators[index].token, nominees: ["Bo \(region.town)", "Bent \(region.town)"],
                                           workplace: "\(region.town) Bibliotek", municipality: region.municipality,
                                           title: "Færre papirer i \(region.town)")
            strong.append(a.id)
            other.append(b.id)
        }
        // The limit per nominator (2 for this campaign), and nobody nominates themself.
        try await world.rejected(.resourceExhausted, mentions: ["limit"], Coi_Nominations_V1_Nominations.Method.submit,
                                 Coi_Nominations_V1_SubmitNominationRequest.with { $0.campaignID = campaign; $0.nominees = [.with { $0.name = "Y" }]
                                     $0.workplace = "W"; $0.municipalityCode = 101; $0.title = "T3"; $0.idea = "I"; $0.difference = "D" },
                                 token: nominators[0].token)
        let selfish = try await world.person("Sofie Selv", workplace: "Vejle Skole", municipality: 630)
        try await world.rejected(.invalidArgument, mentions: ["nominees[0]"], Coi_Nominations_V1_Nominations.Method.submit,
                                 Coi_Nominations_V1_SubmitNominationRequest.with { $0.campaignID = campaign; $0.nominees = [.with { $0.name = "sofie selv" }]
                                     $0.workplace = "Vejle Skole"; $0.municipalityCode = 630; $0.title = "Mig"; $0.idea = "I"; $0.difference = "D" },
                                 token: selfish.token)
        // A likely duplicate (same words in the title) is flagged, then withdrawn by its nominator.
        let copy = try await world.submit(campaign, token: selfish.token, nominees: ["Anne Aalborg"], workplace: "Aalborg rådhus",
                                          municipality: 851, title: "kage, te og kaffe i Aalborg")
        #expect(copy.duplicateOf == strong[0])
        #expect(try await world.call(Coi_Nominations_V1_Nominations.Method.withdraw, Coi_Nominations_V1_WithdrawNominationRequest.with {
            $0.id = copy.id
        }, token: selfish.token).state == .withdrawn)

        // Nothing about a nominee is public before they consent.
        let colleague = try await world.person("Carl Colleague", workplace: "Horsens Kommune", municipality: 615)
        #expect(try await world.list(campaign, token: colleague.token).isEmpty)
        try await world.rejected(.notFound, Coi_Nominations_V1_Nominations.Method.get, Coi_Nominations_V1_GetNominationRequest.with { $0.id = strong[0] },
                                 token: colleague.token)
        // A screener records consent given to the campaign team (with coictl); teams need every member's.
        for id in strong { try await cli.ok(["nominations", "consent", id]) }
        for id in other {
            try await cli.ok(["nominations", "consent", id, "--nominee", "0"])
            #expect(try await world.nomination(id).consented == false)
            try await cli.ok(["nominations", "consent", id, "--nominee", "1"])
        }
        #expect(try await world.list(campaign, token: colleague.token).count == 10)

        // Endorsements: one per person; the audience prize counts them.
        let supporters = try await (0..<3).asyncMap { try await world.person("Supporter \($0)") }
        for supporter in supporters {
            _ = try await world.call(Coi_Nominations_V1_Nominations.Method.endorse, Coi_Nominations_V1_EndorseRequest.with { $0.nominationID = other[1] },
                                     token: supporter.token)
        }
        try await world.rejected(.alreadyExists, Coi_Nominations_V1_Nominations.Method.endorse,
                                 Coi_Nominations_V1_EndorseRequest.with { $0.nominationID = other[1] }, token: supporters[0].token)
        let audience = try await cli.array(["nominations", "audience", campaign])
        #expect(audience.first?["nomination_id"] as? String == other[1] && audience.first?["endorsements"] as? Int == 3)

        // Moderation: three reports hide a nomination until a moderator restores it.
        for supporter in supporters {
            _ = try await world.call(Coi_Nominations_V1_Nominations.Method.report, Coi_Nominations_V1_ReportRequest.with {
                $0.nominationID = other[4]
                $0.reason = .doesNotBelong
            }, token: supporter.token)
        }
        #expect(try await world.nomination(other[4]).hidden)
        #expect(try await world.list(campaign, token: colleague.token).count == 9)
        let moderator = try await world.person("Mona Moderator", roles: ["moderator"])
        let reports = try await cli.array(["nominations", "reports", campaign], token: moderator.token)
        #expect(reports.count == 3 && reports.allSatisfy { $0["reason"] as? String == "DOES_NOT_BELONG" && $0["nomination_id"] as? String == other[4] })
        try await cli.rejected(["nominations", "reports", campaign], "PERMISSION_DENIED", token: colleague.token)
        let restored = try await cli.object(["nominations", "restore", other[4], "--reason", "belongs after all"], token: moderator.token)
        #expect(restored["hidden"] as? Bool == false && restored["open_reports"] as? Int == 0)
        #expect(try await world.list(campaign, token: colleague.token).count == 10)
        #expect(try await cli.array(["nominations", "reports", campaign, "--open"], token: moderator.token).isEmpty)
        let history = try await cli.array(["nominations", "reports", campaign], token: moderator.token)
        #expect(history.count == 3 && history.allSatisfy { $0["dismissed"] as? Bool == true && !(($0["dismissed_at"] as? String) ?? "").isEmpty })

        // Screening: the nominator can no longer edit; screeners decide.
        try await world.setPhase(campaign, "screening")
        try await world.rejected(.failedPrecondition, mentions: ["SCREENING"], Coi_Nominations_V1_Nominations.Method.update,
                                 Coi_Nominations_V1_UpdateNominationRequest.with { $0.id = strong[0]; $0.version = 1; $0.updateMask = ["title"]
                                     $0.title = "New" }, token: nominators[0].token)
        try await cli.rejected(["nominations", "screen", campaign, "shortlist", strong[0]], "FAILED_PRECONDITION", mentions: ["SUBMITTED"])
        try await cli.ok(["nominations", "screen", campaign, "eligible"] + strong + other)
        try await cli.ok(["nominations", "screen", campaign, "shortlist"] + strong + other)

        // The jury: two national jurors and one for Hovedstaden only. Jens works at Aalborg Rådhus.
        let jens = try await world.person("Jens Juul", workplace: "Aalborg Rådhus", municipality: 851)
        let karen = try await world.person("Karen Krog", workplace: "KL", municipality: 101)
        let lise = try await world.person("Lise Lund", workplace: "KTO", municipality: 101)
        try await cli.ok(["nominations", "jurors", "add", campaign, jens.id])
        try await cli.ok(["nominations", "jurors", "add", campaign, karen.id])
        try await cli.ok(["nominations", "jurors", "add", campaign, lise.id, "--region", "hovedstaden"])
        #expect(try await cli.array(["nominations", "jurors", "ls", campaign]).count == 3)
        // Karen declares a conflict with Roskilde's B.
        try await cli.ok(["nominations", "conflict", other[4], "--reason", "my brother's team"], token: karen.token)
        try await world.setPhase(campaign, "jury")

        let jensWork = try await cli.object(["nominations", "assignments", campaign], token: jens.token)
        let jensRecusals = try #require(jensWork["recusals"] as? [[String: Any]])
        #expect(jensRecusals.count == 1 && jensRecusals[0]["nomination_id"] as? String == strong[0]
                && jensRecusals[0]["reason"] as? String == "same workplace")
        #expect((jensWork["assignments"] as? [Any])?.count == 9)
        let liseWork = try await cli.object(["nominations", "assignments", campaign], token: lise.token)
        #expect((liseWork["assignments"] as? [[String: Any]])?.count == 2)
        try await world.rejected(.failedPrecondition, mentions: ["recused", "same workplace"], Coi_Nominations_V1_Jury.Method.score,
                                 Coi_Nominations_V1_ScoreRequest.with { $0.campaignID = campaign
                                     $0.sheets = [.with { $0.nominationID = strong[0]; $0.scores = [5, 5, 5, 5] }] },
                                 token: jens.token)
        try await world.rejected(.permissionDenied, mentions: ["region"], Coi_Nominations_V1_Jury.Method.score,
                                 Coi_Nominations_V1_ScoreRequest.with { $0.campaignID = campaign
                                     $0.sheets = [.with { $0.nominationID = strong[0]; $0.scores = [5, 5, 5, 5] }] },
                                 token: lise.token)
        try await world.rejected(.invalidArgument, mentions: ["sheets[0].scores[1]"], Coi_Nominations_V1_Jury.Method.score,
                                 Coi_Nominations_V1_ScoreRequest.with { $0.campaignID = campaign
                                     $0.sheets = [.with { $0.nominationID = strong[1]; $0.scores = [5, 6, 5, 5] }] },
                                 token: karen.token)

        // Scores: the A nominations are stronger; Odense's A is the strongest of all.
        func sheets(for juror: String, excluding: Set<String>) -> [Coi_Nominations_V1_ScoreSheet] {
            (strong + other).filter { !excluding.contains($0) }.map { id in
                .with {
                    $0.nominationID = id
                    $0.scores = id == strong[2] ? [5, 5, 5, 5] : strong.contains(id) ? [4, 5, 4, 3] : [2, 3, 2, 2]
                }
            }
        }
        _ = try await world.call(Coi_Nominations_V1_Jury.Method.score, Coi_Nominations_V1_ScoreRequest.with {
            $0.campaignID = campaign
            $0.sheets = sheets(for: jens.id, excluding: [strong[0]])
        }, token: jens.token)
        _ = try await world.call(Coi_Nominations_V1_Jury.Method.score, Coi_Nominations_V1_ScoreRequest.with {
            $0.campaignID = campaign
            $0.sheets = sheets(for: karen.id, excluding: [other[4]])
        }, token: karen.token)
        // Lise scores with coictl.
        try await cli.ok(["nominations", "score", campaign, strong[3], "--scores", "4,5,4,3"], token: lise.token)
        try await cli.ok(["nominations", "score", campaign, other[3], "--scores", "2,3,2,2"], token: lise.token)
        #expect(try await cli.array(["nominations", "scores", campaign], token: lise.token).count == 2)

        // Aalborg's A has one sheet (Jens is recused, Lise judges Hovedstaden only): too few to win
        // (min_sheets 2), so publishing is refused, naming it, until another juror scores it.
        let preview = try await cli.object(["nominations", "results", "compute", campaign])
        let warnings = try #require(preview["warnings"] as? [[String: Any]])
        #expect(warnings.count == 1 && warnings[0]["nomination_id"] as? String == strong[0] && warnings[0]["problem"] as? String == "TOO_FEW_SHEETS")
        try await cli.rejected(["nominations", "results", "publish", campaign], "FAILED_PRECONDITION", mentions: [strong[0], "min_sheets is 2"])
        let mette = try await world.person("Mette Munk", workplace: "Danske Regioner", municipality: 101)
        try await cli.ok(["nominations", "jurors", "add", campaign, mette.id])
        try await cli.ok(["nominations", "score", campaign, strong[0], "--scores", "4,5,4,3"], token: mette.token)

        // Publish (coictl): one winner per region, the national winner among them, alternates listed.
        let published = try await cli.object(["nominations", "results", "publish", campaign])
        let regions = try #require(published["regions"] as? [[String: Any]])
        #expect(regions.map { $0["region"] as? String } == Self.regions.map(\.slug))
        #expect(regions.map { $0["winner_id"] as? String } == strong.map(Optional.some))
        #expect(regions.allSatisfy { (($0["alternates"] as? [String]) ?? []).count <= 1 })
        #expect(published["national_winner_id"] as? String == strong[2])
        #expect(try await world.nomination(strong[2]).state == .nationalWinner)
        #expect(try await world.nomination(strong[0]).state == .regionalWinner)
        #expect(try await world.nomination(other[0]).state == .notSelected)

        // Frozen: no second publication, no more scores, and the phase says why.
        try await cli.rejected(["nominations", "results", "publish", campaign], "FAILED_PRECONDITION", mentions: ["RESULTS_PUBLISHED"])
        try await world.rejected(.failedPrecondition, mentions: ["RESULTS_PUBLISHED"], Coi_Nominations_V1_Jury.Method.score,
                                 Coi_Nominations_V1_ScoreRequest.with { $0.campaignID = campaign
                                     $0.sheets = [.with { $0.nominationID = strong[1]; $0.scores = [1, 1, 1, 1] }] },
                                 token: karen.token)
        let shown = try await world.call(Coi_Nominations_V1_Results.Method.get, Coi_Nominations_V1_GetResultsRequest.with { $0.campaignID = campaign },
                                         token: colleague.token)
        #expect(shown.published && shown.nationalWinnerID == strong[2] && shown.regions.count == 5)

        // Exports: RFC 4180 CSV with a header row.
        let results = try await cli.ok(["nominations", "export", campaign, "results"])
        let lines = results.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first?.hasPrefix("campaign_id,region,rank,nomination_id,title,score") == true)
        #expect(lines.count == 11)
        #expect(lines.contains { $0.contains(strong[2]) && $0.contains("national winner") && $0.contains("\"Kaffe, te og kage i Odense\"") })
        let scores = try await cli.ok(["nominations", "export", campaign, "scores"])
        #expect(scores.hasPrefix("campaign_id,nomination_id,juror_id,juror_name,simplicity,value,transferability,execution,weighted"))
        // A header, Jens's 9 sheets, Karen's 9, Lise's 2 and Mette's 1.
        let scoreLines = scores.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(scoreLines.count == 22)
        let nominationsCSV = try await cli.ok(["nominations", "export", campaign, "nominations"])
        // A header and every nomination, the withdrawn one too.
        let nominationLines = nominationsCSV.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(nominationLines.count == 12)

        // The feed tells the website what happened, and resumes from a cursor.
        let events = try await world.stream(Coi_Nominations_V1_Campaigns.Method.feed, Coi_Nominations_V1_FeedRequest.with { $0.campaignID = campaign })
        #expect(events.last?.kind == "results.published" && events.last?.detail == strong[2])
        #expect(events.contains { $0.kind == "nomination.hidden" && $0.subject == other[4] })
        let middle = events[events.count / 2].cursor
        let resumed = try await world.stream(Coi_Nominations_V1_Campaigns.Method.feed, Coi_Nominations_V1_FeedRequest.with {
            $0.campaignID = campaign
            $0.after = middle
        })
        #expect(resumed.map(\.cursor) == events.filter { $0.cursor > middle }.map(\.cursor))
        await world.stop()
    }
}

extension Sequence {
    /// Maps in order, awaiting each element.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
