import COIProto
import COIWire
import Foundation
import Testing

/// Group-committed submissions are durable once acknowledged.
@Suite struct NominationsDurabilityTests {
    @Test func acknowledgedConcurrentSubmissionsSurviveKill9() async throws {
        let world = try await NominationsWorld.start()
        let campaign = try await world.call(Coi_Nominations_V1_Campaigns.Method.create, Coi_Nominations_V1_CreateCampaignRequest.with {
            $0.kind = .ideaAward
            $0.year = 2026
            $0.title = "Durable"
            $0.nominatorLimit = 100
        }).id
        try await world.setPhase(campaign, "open")
        let nominators = try await (0..<8).asyncMap { try await world.person("Nominator \($0)") }
        // Eight clients submit at once, so writes share transactions; every acknowledged id is kept.
        let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
            for (client, nominator) in nominators.enumerated() {
                group.addTask {
                    var ids: [String] = []
                    for index in 0..<10 {
                        ids.append(try await world.submit(campaign, token: nominator.token, nominees: ["Colleague \(client)-\(index)"],
                                                          workplace: "Workplace \(client)", municipality: 101,
                                                          title: "Idea \(client)-\(index)").id)
                    }
                    return ids
                }
            }
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(acknowledged.count == 80)
        await world.admin.close()
        world.cli.daemon.signal(SIGKILL)
        #expect(await world.cli.daemon.waitForExit() == SIGKILL)

        try await world.cli.daemon.restart()
        let again = try await world.cli.daemon.connect()
        let listed = try await again.call(Coi_Nominations_V1_Nominations.Method.list, Coi_Nominations_V1_ListNominationsRequest.with {
            $0.campaignID = campaign
            $0.pageSize = 500
        })
        #expect(Set(listed.nominations.map(\.id)) == Set(acknowledged))
        // Keyset pages of 30: three pages, in the same stable order, nothing twice.
        var paged: [String] = []
        var token = ""
        var pages = 0
        repeat {
            let page = try await again.call(Coi_Nominations_V1_Nominations.Method.list, Coi_Nominations_V1_ListNominationsRequest.with {
                $0.campaignID = campaign
                $0.pageSize = 30
                $0.pageToken = token
            })
            paged += page.nominations.map(\.id)
            token = page.nextPageToken
            pages += 1
        } while !token.isEmpty && pages < 10
        #expect(pages == 3 && paged == listed.nominations.map(\.id))
        // The feed kept one event per submission too, in the same transactions.
        let feed = try again.stream(Coi_Nominations_V1_Campaigns.Method.feed, .with { $0.campaignID = campaign },
                                    timeout: .seconds(30))
        var submitted = 0
        for try await event in feed.replies where event.kind == "nomination.submitted" {
            submitted += 1
        }
        #expect(submitted == 80)
        await again.close()
        await world.cli.daemon.stop()
    }
}
