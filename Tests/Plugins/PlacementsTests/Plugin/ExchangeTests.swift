import COIHostTesting
import COIPluginKit
import COIProto
import Foundation
import Testing
@testable import COIPlacements

@Suite struct ExchangeTests {
    /// Registers a person as a seeker of `season` at `workplace` with their own manager.
    func seeker(_ fixture: PlacementsFixture, _ season: String, _ name: String, workplace: String, level: Coi_Placements_V1_Level = .municipal,
                municipality: Int32 = 159) async throws -> (seekerID: String, token: String, managerToken: String, accountID: String) {
        let person = try await fixture.person(name)
        let manager = try await fixture.person("Leder for \(name)")
        let seeker = try await fixture.call(Coi_Placements_V1_Seekers.Method.register, .with {
            $0.seasonID = season
            $0.homeWorkplace = workplace
            $0.level = level
            $0.municipalityCode = municipality
            $0.managerID = manager.id
        }, token: person.token)
        return (seeker.id, person.token, manager.token, person.id)
    }

    func approve(_ fixture: PlacementsFixture, _ seekerID: String, _ managerToken: String) async throws {
        _ = try await fixture.call(Coi_Placements_V1_Seekers.Method.answerApproval, .with {
            $0.seekerID = seekerID
            $0.approve = true
        }, token: managerToken)
    }

    @Test func anExchangeBecomesTwoPlacementsOnceBothManagersApproved() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        let direktør = try await seeker(fixture, season.id, "Karin Direktør", workplace: "Gladsaxe Kommune")
        let departementschef = try await seeker(fixture, season.id, "Peter Departementschef", workplace: "Finansministeriet", level: .state,
                                                municipality: 101)
        func propose(_ token: String, _ from: String, _ to: String) async throws -> Coi_Placements_V1_Exchange {
            try await fixture.call(Coi_Placements_V1_Exchanges.Method.propose, .with {
                $0.seekerID = from
                $0.partnerSeekerID = to
                $0.days = 2
                $0.note = "Vi bytter stol en uge"
            }, token: token)
        }
        let unapproved = await rpcError { _ = try await propose(direktør.token, direktør.seekerID, departementschef.seekerID) }
        #expect(unapproved?.code == .failedPrecondition && unapproved?.reason == "NOT_APPROVED")
        try await approve(fixture, direktør.seekerID, direktør.managerToken)
        let exchange = try await propose(direktør.token, direktør.seekerID, departementschef.seekerID)
        #expect(exchange.status == .proposed && exchange.partnerName == "Peter Departementschef" && exchange.offerIds.isEmpty)

        // Only the partner answers, and only once their own manager has approved.
        let proposerAnswers = await rpcError {
            _ = try await fixture.call(Coi_Placements_V1_Exchanges.Method.answer, .with {
                $0.id = exchange.id
                $0.accept = true
            }, token: direktør.token)
        }
        #expect(proposerAnswers?.code == .permissionDenied)
        let partnerUnapproved = await rpcError {
            _ = try await fixture.call(Coi_Placements_V1_Exchanges.Method.answer, .with {
                $0.id = exchange.id
                $0.accept = true
            }, token: departementschef.token)
        }
        #expect(partnerUnapproved?.reason == "NOT_APPROVED")
        try await approve(fixture, departementschef.seekerID, departementschef.managerToken)
        let placed = try await fixture.call(Coi_Placements_V1_Exchanges.Method.answer, .with {
            $0.id = exchange.id
            $0.accept = true
        }, token: departementschef.token)
        #expect(placed.status == .placed && placed.offerIds.count == 2)

        // Two placements, each at the other's workplace with the other as host contact; the matching keeps them.
        _ = try await fixture.call(Coi_Placements_V1_Matching.Method.match, .with { $0.seasonID = season.id })
        let rows = try await fixture.exportMatches(season.id)
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0[1], $0) })
        #expect(byID[direktør.seekerID]?[4] == placed.offerIds[0] && byID[direktør.seekerID]?[5] == "Udveksling: Finansministeriet")
        #expect(byID[departementschef.seekerID]?[5] == "Udveksling: Gladsaxe Kommune")
        #expect(rows.count == 2 && rows.allSatisfy { $0[8] == "exchange" })
        let hostOffer = try await fixture.call(Coi_Placements_V1_Offers.Method.get, .with { $0.id = placed.offerIds[0] })
        #expect(hostOffer.contactID == departementschef.accountID && !hostOffer.published && hostOffer.level == .state)
        let search = try await fixture.call(Coi_Placements_V1_Offers.Method.search, .with {
            $0.seasonID = season.id
            $0.includeUnpublished = true
        })
        #expect(search.offers.isEmpty)
        let events = try await fixture.bench.stream(Coi_Placements_V1_Seasons.Method.feed, Coi_Placements_V1_FeedRequest.with {
            $0.seasonID = season.id
        })
        #expect(events.contains { $0.kind == "exchange.placed" && $0.subject == exchange.id })

        // An agreement works on an exchange placement as on any other: the partner is the host contact.
        let agreement = try await fixture.call(Coi_Placements_V1_Agreements.Method.get, .with { $0.seekerID = direktør.seekerID },
                                               token: departementschef.token)
        #expect(agreement.hostWorkplace == "Finansministeriet" && agreement.confirmations[1].name == "Peter Departementschef")

        // Cancelling removes both placements.
        let cancelled = try await fixture.call(Coi_Placements_V1_Exchanges.Method.cancel, .with {
            $0.id = exchange.id
            $0.reason = "Sygdom"
        }, token: direktør.token)
        #expect(cancelled.status == .cancelled && cancelled.offerIds.isEmpty)
        let after = try await fixture.exportMatches(season.id)
        #expect(after.count == 2 && after.allSatisfy { $0[4].isEmpty })
    }

    @Test func nonsenseIsRefused() async throws {
        let fixture = try await PlacementsFixture()
        let season = try await fixture.season()
        let one = try await seeker(fixture, season.id, "Åse Øster", workplace: "Gladsaxe Kommune")
        let colleague = try await seeker(fixture, season.id, "Ib Lund", workplace: "gladsaxe  KOMMUNE")
        let other = try await seeker(fixture, season.id, "Eva Holm", workplace: "Region Hovedstaden", level: .regional)
        for person in [one, colleague, other] { try await approve(fixture, person.seekerID, person.managerToken) }
        func propose(_ to: String, days: Int32 = 2, token: String? = nil) async -> RPCError? {
            await rpcError {
                _ = try await fixture.call(Coi_Placements_V1_Exchanges.Method.propose, .with {
                    $0.seekerID = one.seekerID
                    $0.partnerSeekerID = to
                    $0.days = days
                }, token: token ?? one.token)
            }
        }
        let sameWorkplace = await propose(colleague.seekerID)
        #expect(sameWorkplace?.code == .invalidArgument && sameWorkplace?.fieldViolations.first?.field == "partner_seeker_id")
        #expect(await propose(one.seekerID)?.fieldViolations.first?.field == "partner_seeker_id")
        #expect(await propose(other.seekerID, days: 9)?.fieldViolations.first?.field == "days")
        // Someone else cannot propose in your name.
        #expect(await propose(other.seekerID, token: other.token)?.code == .permissionDenied)
        // A declined partner cannot be asked.
        let declined = try await seeker(fixture, season.id, "Kaj Berg", workplace: "Aalborg Kommune", municipality: 851)
        _ = try await fixture.call(Coi_Placements_V1_Seekers.Method.answerApproval, .with {
            $0.seekerID = declined.seekerID
            $0.reason = "Travlt"
        }, token: declined.managerToken)
        #expect(await propose(declined.seekerID)?.reason == "NOT_APPROVED")
        // One open exchange per person.
        #expect(await propose(other.seekerID) == nil)
        #expect(await propose(other.seekerID)?.code == .alreadyExists)
        // Not after the season's confirmation deadline.
        _ = try await fixture.call(Coi_Placements_V1_Seasons.Method.setPhase, .with {
            $0.id = season.id
            $0.phase = .archived
        })
        let late = await rpcError {
            _ = try await fixture.call(Coi_Placements_V1_Exchanges.Method.propose, .with {
                $0.seekerID = colleague.seekerID
                $0.partnerSeekerID = declined.seekerID
                $0.days = 1
            }, token: colleague.token)
        }
        #expect(late?.reason == "WRONG_PHASE")
    }
}
