import COIHostTesting
import COIProto
import Foundation
import Testing
@testable import COIPlacements

@Suite struct SeasonAndApprovalTests {
    @Test func seasonDatesFollowTheISOWeek() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        #expect(season.weekStarts == "2027-09-13" && season.weekEnds == "2027-09-19")
        #expect(season.offersOpenOn == "2027-07-19" && season.applicationsOpenOn == "2027-08-02")
        #expect(season.matchingOn == "2027-08-23" && season.confirmationDeadline == "2027-09-06")
        #expect(season.maxChoices == 10 && season.phase == .draft && season.title == "Innovationspraktik 2027, uge 37")
    }

    @Test func wrongWeeksAndDatesAreRefusedByField() async throws {
        let fixture = try await PlacementsFixture()
        let week = await rpcError {
            _ = try await fixture.call(Coi_Placements_V1_Seasons.Method.create, .with {
                $0.year = 2027
                $0.week = 53
            })
        }
        #expect(week?.fieldViolations.first?.field == "week")
        #expect(week?.message == "week: must be 1–52 (ISO weeks of 2027), is 53")
        let order = await rpcError {
            _ = try await fixture.call(Coi_Placements_V1_Seasons.Method.create, .with {
                $0.year = 2027
                $0.week = 37
                $0.matchingOn = "2027-07-01"
            })
        }
        #expect(order?.fieldViolations.first?.field == "matching_on")
    }

    @Test func phaseMovesByDateAndAdminButMatchedOnlyByMatching() {
        let schedule: [(phase: SeasonPhase, startsAt: String)] = [(.applicationsOpen, "2027-08-02T00:00:00.000000Z"),
                                                                  (.matching, "2027-08-23T00:00:00.000000Z"),
                                                                  (.confirmed, "2027-09-06T00:00:00.000000Z")]
        #expect(SeasonPhase.current(set: .draft, setAt: "", schedule: schedule, now: "2027-08-10T00:00:00.000000Z").phase == .applicationsOpen)
        // Unmatched: the confirmation date does not move a season past MATCHING.
        #expect(SeasonPhase.current(set: .draft, setAt: "", schedule: schedule, now: "2027-09-10T00:00:00.000000Z").phase == .matching)
        // Matched early: earlier dates do not move it back, the confirmation date moves it on.
        let matchedAt = "2027-07-01T00:00:00.000000Z"
        #expect(SeasonPhase.current(set: .matched, setAt: matchedAt, schedule: schedule, now: "2027-08-30T00:00:00.000000Z").phase == .matched)
        #expect(SeasonPhase.current(set: .matched, setAt: matchedAt, schedule: schedule, now: "2027-09-07T00:00:00.000000Z").phase == .confirmed)
    }

    @Test func onlyTheNamedManagerAnswersAndDeclineNeedsAReason() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        _ = try await fixture.call(Coi_Placements_V1_Seasons.Method.setPhase, .with {
            $0.id = season.id
            $0.phase = .applicationsOpen
        })
        let seeker = try await fixture.person("Søren Ærø")
        let manager = try await fixture.person("Mette Leder")
        let other = try await fixture.person("Ole Anden")
        let registered = try await fixture.call(Coi_Placements_V1_Seekers.Method.register, .with {
            $0.seasonID = season.id
            $0.homeWorkplace = "Aarhus Kommune, Borgerservice"
            $0.level = .municipal
            $0.municipalityCode = 751
            $0.managerID = manager.id
            $0.learningGoals = "Se hvordan andre gør"
        }, token: seeker.token)
        #expect(registered.approval == .pending && registered.region == "midtjylland" && registered.managerName == "Mette Leder")
        let stranger = await rpcError {
            _ = try await fixture.call(Coi_Placements_V1_Seekers.Method.answerApproval, .with {
                $0.seekerID = registered.id
                $0.approve = true
            }, token: other.token)
        }
        #expect(stranger?.code == .permissionDenied)
        let noReason = await rpcError {
            _ = try await fixture.call(Coi_Placements_V1_Seekers.Method.answerApproval, .with { $0.seekerID = registered.id }, token: manager.token)
        }
        #expect(noReason?.fieldViolations.first?.field == "reason")
        let approved = try await fixture.call(Coi_Placements_V1_Seekers.Method.answerApproval, .with {
            $0.seekerID = registered.id
            $0.approve = true
        }, token: manager.token)
        #expect(approved.approval == .approved && !approved.approvalAt.isEmpty)
    }

    @Test func offersAreSearchedDanishFoldedAfterReview() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        let host = try await fixture.person("Hanne Vært")
        let offer = try await fixture.call(Coi_Placements_V1_Offers.Method.create, .with {
            $0.seasonID = season.id
            $0.title = "Sundhedsområdet i Gladsaxe"
            $0.hostWorkplace = "Gladsaxe Kommune"
            $0.level = .municipal
            $0.municipalityCode = 159
            $0.capacity = 2
            $0.days = 3
        }, token: host.token)
        #expect(!offer.published && offer.region == "hovedstaden" && offer.contactName == "Hanne Vært")
        func search(_ query: String) async throws -> [String] {
            try await fixture.call(Coi_Placements_V1_Offers.Method.search, .with {
                $0.seasonID = season.id
                $0.query = query
            }, token: host.token).offers.map(\.id)
        }
        #expect(try await search("sundhedsomraadet").isEmpty)
        _ = try await fixture.call(Coi_Placements_V1_Offers.Method.review, .with {
            $0.id = offer.id
            $0.publish = true
        })
        #expect(try await search("SUNDHEDSOMRAADET gladsaxe") == [offer.id])
        #expect(try await search("sundhedsområdet").count == 1)
        #expect(try await search("aarhus").isEmpty)
        // Issue 13 item 7: the region as people write it, and its proper name in the reply.
        for region in ["hovedstaden", "Region Hovedstaden", "1084", "HOVEDSTADEN"] {
            let found = try await fixture.call(Coi_Placements_V1_Offers.Method.search, .with {
                $0.seasonID = season.id
                $0.region = region
            }, token: host.token).offers
            #expect(found.map(\.id) == [offer.id] && found.first?.regionName == "Region Hovedstaden", "\(region)")
        }
        let sjaelland = try await fixture.call(Coi_Placements_V1_Offers.Method.search, .with {
            $0.seasonID = season.id
            $0.region = "sjælland"
        }, token: host.token)
        #expect(sjaelland.offers.isEmpty)
        let atlantis = await rpcError {
            _ = try await fixture.call(Coi_Placements_V1_Offers.Method.search, .with {
                $0.seasonID = season.id
                $0.region = "Atlantis"
            }, token: host.token)
        }
        #expect(atlantis?.code == .invalidArgument && atlantis?.fieldViolations.first?.field == "region")
        let capacity = await rpcError {
            _ = try await fixture.call(Coi_Placements_V1_Offers.Method.create, .with {
                $0.seasonID = season.id
                $0.title = "For mange"
                $0.hostWorkplace = "Gladsaxe Kommune"
                $0.level = .municipal
                $0.municipalityCode = 159
                $0.capacity = 4
                $0.days = 1
            }, token: host.token)
        }
        #expect(capacity?.message == "capacity: hosts take 1–3 seekers, is 4")
    }
}
