import COIHostTesting
import COIPluginKit
import COIProto
import COIWiki
import Foundation
import Testing
@testable import COIPlacements

/// A season with one placement made by the matching: a host contact's offer, a seeker approved by
/// their manager, each ranking the other.
struct PlacedSeeker {
    let fixture: PlacementsFixture
    let season: Coi_Placements_V1_Season
    let seeker: (id: String, token: String)
    let host: (id: String, token: String)
    let manager: (id: String, token: String)
    let seekerID: String
    let offerID: String

    init(others: [any Plugin] = [COIWiki.WikiPlugin()]) async throws {
        let fixture = try await PlacementsFixture(others: others)
        let season = try await fixture.season()
        _ = try await fixture.call(Coi_Placements_V1_Seasons.Method.setPhase, .with {
            $0.id = season.id
            $0.phase = .applicationsOpen
        })
        let host = try await fixture.person("Hanne Vært")
        let seeker = try await fixture.person("Søren Ærø")
        let manager = try await fixture.person("Mette Leder")
        let offer = try await fixture.call(Coi_Placements_V1_Offers.Method.create, .with {
            $0.seasonID = season.id
            $0.title = "Borgerservice på tværs"
            $0.hostWorkplace = "Gladsaxe Kommune"
            $0.level = .municipal
            $0.municipalityCode = 159
            $0.sector = "borgerservice"
            $0.capacity = 1
            $0.days = 3
        }, token: host.token)
        _ = try await fixture.call(Coi_Placements_V1_Offers.Method.review, .with {
            $0.id = offer.id
            $0.publish = true
        })
        let registered = try await fixture.call(Coi_Placements_V1_Seekers.Method.register, .with {
            $0.seasonID = season.id
            $0.homeWorkplace = "Aarhus Kommune"
            $0.level = .municipal
            $0.municipalityCode = 751
            $0.managerID = manager.id
        }, token: seeker.token)
        _ = try await fixture.call(Coi_Placements_V1_Seekers.Method.answerApproval, .with {
            $0.seekerID = registered.id
            $0.approve = true
        }, token: manager.token)
        _ = try await fixture.call(Coi_Placements_V1_Seekers.Method.setChoices, .with {
            $0.seekerID = registered.id
            $0.choices = [.with { $0.offerID = offer.id }]
        }, token: seeker.token)
        _ = try await fixture.call(Coi_Placements_V1_Offers.Method.rankApplicants, .with {
            $0.offerID = offer.id
            $0.seekerIds = [registered.id]
        }, token: host.token)
        let matching = try await fixture.call(Coi_Placements_V1_Matching.Method.match, .with { $0.seasonID = season.id })
        precondition(matching.placed == 1)
        self.fixture = fixture
        self.season = season
        self.seeker = seeker
        self.host = host
        self.manager = manager
        self.seekerID = registered.id
        self.offerID = offer.id
    }

    func save(_ token: String, base: Int64, goals: String = "Se digital borgerservice", days: Int32 = 3) async throws -> Coi_Placements_V1_Agreement {
        try await fixture.call(Coi_Placements_V1_Agreements.Method.save, .with {
            $0.seekerID = seekerID
            $0.goals = goals
            $0.days = days
            $0.tasks = "Følge sagsbehandlerne"
            $0.contact = "Hanne, tlf. 12 34 56 78"
            $0.confidentiality = "Borgernes sager bliver i huset"
            $0.baseVersion = base
        }, token: token)
    }

    func confirm(_ party: Coi_Placements_V1_Party, _ token: String, version: Int64 = 0) async throws -> Coi_Placements_V1_Agreement {
        try await fixture.call(Coi_Placements_V1_Agreements.Method.confirm, .with {
            $0.seekerID = seekerID
            $0.party = party
            $0.version = version
        }, token: token)
    }

    /// Saves the agreement, has all three parties confirm it and the seeker complete it.
    func agreeAndComplete() async throws {
        _ = try await save(seeker.token, base: 0)
        for (party, token) in [(Coi_Placements_V1_Party.seeker, seeker.token), (.host, host.token), (.manager, manager.token)] {
            _ = try await confirm(party, token)
        }
        _ = try await fixture.call(Coi_Placements_V1_Agreements.Method.complete, .with {
            $0.seekerID = seekerID
            $0.learned = "Meget"
            $0.ideasHome = "Tidsbestilling"
        }, token: seeker.token)
    }
}

@Suite struct AgreementTests {
    @Test func eachPartyConfirmsOnlyTheirOwnPart() async throws {
        let placed = try await PlacedSeeker()
        let draft = try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.get, .with { $0.seekerID = placed.seekerID },
                                                  token: placed.seeker.token)
        #expect(draft.status == .draft && draft.id.isEmpty && draft.offerID == placed.offerID)
        #expect(draft.confirmations.map(\.name) == ["Søren Ærø", "Hanne Vært", "Mette Leder"])
        let saved = try await placed.save(placed.seeker.token, base: 0)
        #expect(saved.version == 1 && saved.status == .draft && !saved.id.isEmpty)

        let stranger = try await placed.fixture.person("Ole Anden")
        let admin = try await placed.fixture.person("Anna Admin", roles: ["admin"])
        for (party, token) in [(Coi_Placements_V1_Party.seeker, stranger.token), (.seeker, placed.host.token), (.host, placed.manager.token),
                               (.manager, placed.seeker.token), (.manager, admin.token)] {
            let refused = await rpcError { _ = try await placed.confirm(party, token) }
            #expect(refused?.code == .permissionDenied && refused?.reason == "NOT_PARTY", "\(party)")
        }
        // An admin sees it; a stranger does not.
        #expect(try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.get, .with { $0.seekerID = placed.seekerID },
                                              token: admin.token).version == 1)
        let hidden = await rpcError {
            _ = try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.get, .with { $0.seekerID = placed.seekerID },
                                              token: stranger.token)
        }
        #expect(hidden?.code == .notFound)

        let bySeeker = try await placed.confirm(.seeker, placed.seeker.token, version: 1)
        #expect(bySeeker.status == .awaitingConfirmation && bySeeker.confirmations.map(\.confirmed) == [true, false, false])
        let byHost = try await placed.confirm(.host, placed.host.token)
        #expect(byHost.confirmations.map(\.confirmed) == [true, true, false] && byHost.status == .awaitingConfirmation)
        let byManager = try await placed.confirm(.manager, placed.manager.token)
        #expect(byManager.status == .agreed && byManager.confirmations.allSatisfy { $0.confirmed && $0.confirmedVersion == 1 })
        let events = try await placed.fixture.bench.stream(Coi_Placements_V1_Seasons.Method.feed, Coi_Placements_V1_FeedRequest.with {
            $0.seasonID = placed.season.id
        })
        #expect(events.filter { $0.kind == "agreement.confirmed" }.map(\.subject) == [saved.id])
    }

    @Test func aChangeAfterConfirmationNeedsReconfirmation() async throws {
        let placed = try await PlacedSeeker()
        _ = try await placed.save(placed.seeker.token, base: 0)
        for (party, token) in [(Coi_Placements_V1_Party.seeker, placed.seeker.token), (.host, placed.host.token),
                               (.manager, placed.manager.token)] {
            _ = try await placed.confirm(party, token)
        }
        // Saving the same terms changes nothing.
        #expect(try await placed.save(placed.host.token, base: 1).status == .agreed)
        let changed = try await placed.save(placed.host.token, base: 1, days: 2)
        #expect(changed.version == 2 && changed.status == .reconfirmationNeeded)
        #expect(changed.confirmations.map(\.confirmed) == [false, false, false] && changed.confirmations.map(\.confirmedVersion) == [1, 1, 1])
        let stale = await rpcError { _ = try await placed.save(placed.seeker.token, base: 1, goals: "Noget andet") }
        #expect(stale?.code == .aborted && stale?.fieldViolations.first?.field == "base_version")
        let staleConfirm = await rpcError { _ = try await placed.confirm(.seeker, placed.seeker.token, version: 1) }
        #expect(staleConfirm?.code == .aborted)
        _ = try await placed.confirm(.seeker, placed.seeker.token, version: 2)
        let partly = try await placed.confirm(.host, placed.host.token, version: 2)
        #expect(partly.status == .reconfirmationNeeded)
        #expect(try await placed.confirm(.manager, placed.manager.token, version: 2).status == .agreed)
    }

    @Test func completionIsPublishedAsAWikiCasePageCreditedToTheSeeker() async throws {
        let placed = try await PlacedSeeker()
        _ = try await placed.save(placed.seeker.token, base: 0)
        let early = await rpcError {
            _ = try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.complete, .with {
                $0.seekerID = placed.seekerID
                $0.learned = "Meget"
                $0.ideasHome = "Tidsbestilling"
            }, token: placed.seeker.token)
        }
        #expect(early?.reason == "NOT_AGREED")
        for (party, token) in [(Coi_Placements_V1_Party.seeker, placed.seeker.token), (.host, placed.host.token),
                               (.manager, placed.manager.token)] {
            _ = try await placed.confirm(party, token)
        }
        let notTheirs = await rpcError {
            _ = try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.complete, .with {
                $0.seekerID = placed.seekerID
                $0.learned = "Meget"
                $0.ideasHome = "Tidsbestilling"
            }, token: placed.host.token)
        }
        #expect(notTheirs?.code == .permissionDenied)
        let completed = try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.complete, .with {
            $0.seekerID = placed.seekerID
            $0.learned = "Hvordan Gladsaxe samler borgerhenvendelser ét sted"
            $0.ideasHome = "Tidsbestilling på nettet og én indgang for borgerne"
        }, token: placed.seeker.token)
        #expect(completed.status == .completed && !completed.evaluation.completedAt.isEmpty)

        let published = try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.publish, .with {
            $0.seekerID = placed.seekerID
        }, token: placed.seeker.token)
        #expect(published.casePageTitle == "Case:Innovationspraktik 2027: Aarhus Kommune hos Gladsaxe Kommune" && !published.casePageID.isEmpty)
        let page = try await placed.fixture.call(Coi_Wiki_V1_Pages.Method.get, .with { $0.title = published.casePageTitle },
                                                 token: placed.seeker.token)
        #expect(page.id == published.casePageID && page.namespace == .case)
        #expect(page.caseFields.level == .municipality && page.caseFields.municipalityCode == 159 && page.caseFields.sector == "borgerservice")
        #expect(page.caseFields.effect == "Tidsbestilling på nettet og én indgang for borgerne")
        #expect(page.text.contains("## Idéer der rejser hjem") && !page.text.contains("Borgernes sager bliver i huset"))
        let history = try await placed.fixture.call(Coi_Wiki_V1_Pages.Method.history, .with { $0.title = published.casePageTitle })
        #expect(history.revisions.map(\.authorID) == [placed.seeker.id] && history.revisions.first?.authorName == "Søren Ærø")
        // The wiki's save went through the call pipeline as the seeker: audited under their account.
        let audit = try await placed.fixture.call(Coi_Identity_V1_Audit.Method.list, .with { $0.method = Coi_Wiki_V1_Pages.Method.save.path })
        #expect(audit.entries.map(\.principal) == ["account:\(placed.seeker.id)"] && audit.entries.first?.outcome == "OK")

        let again = await rpcError {
            _ = try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.publish, .with { $0.seekerID = placed.seekerID },
                                              token: placed.seeker.token)
        }
        #expect(again?.code == .alreadyExists)
    }

    @Test func theWikisOwnRulesApplyToThePublishedPage() async throws {
        let placed = try await PlacedSeeker()
        try await placed.agreeAndComplete()
        // Someone else's page under that title: the wiki refuses to overwrite it, and nothing is linked.
        let other = try await placed.fixture.person("Ole Anden")
        _ = try await placed.fixture.call(Coi_Wiki_V1_Pages.Method.save, .with {
            $0.title = "Case:Borgerservice i Gladsaxe"
            $0.text = "Ole's side"
            $0.caseFields = .with {
                $0.level = .state
                $0.sector = "borgerservice"
            }
        }, token: other.token)
        let taken = await rpcError {
            _ = try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.publish, .with {
                $0.seekerID = placed.seekerID
                $0.title = "Borgerservice i Gladsaxe"
            }, token: placed.seeker.token)
        }
        #expect(taken?.code == .aborted && taken?.reason == "PAGE_EXISTS")
        #expect(try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.get, .with { $0.seekerID = placed.seekerID },
                                              token: placed.seeker.token).casePageID.isEmpty)
        let published = try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.publish, .with {
            $0.seekerID = placed.seekerID
            $0.title = "Borgerservice i Gladsaxe, set fra Aarhus"
        }, token: placed.seeker.token)
        #expect(published.casePageTitle == "Case:Borgerservice i Gladsaxe, set fra Aarhus")
    }

    /// Publish spans the wiki's transaction and the plugin's: calls at once for one evaluation
    /// must leave exactly one case page, the recorded one, and tell every other caller why not.
    @Test func publishesAtOnceLeaveOnePageTheRecordedOne() async throws {
        let placed = try await PlacedSeeker()
        try await placed.agreeAndComplete()
        let titles = (1...6).map { "Borgerservice i Gladsaxe, udgave \($0)" }
        let outcomes = await withTaskGroup(of: Result<String, RPCError>.self) { group in
            for title in titles {
                group.addTask {
                    do {
                        return .success(try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.publish, .with {
                            $0.seekerID = placed.seekerID
                            $0.title = title
                        }, token: placed.seeker.token).casePageTitle)
                    } catch let error as RPCError {
                        return .failure(error)
                    } catch {
                        return .failure(RPCError(.unknown, "\(error)"))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let published = outcomes.compactMap { try? $0.get() }
        #expect(published.count == 1, "\(outcomes)")
        for case let .failure(error) in outcomes {
            #expect((error.code == .aborted && error.reason == "PUBLISH_IN_PROGRESS") || error.code == .alreadyExists, "\(error)")
        }
        var pages: [String] = []
        for title in titles {
            if (try? await placed.fixture.call(Coi_Wiki_V1_Pages.Method.get, .with { $0.title = "Case:\(title)" },
                                              token: placed.seeker.token)) != nil {
                pages.append("Case:\(title)")
            }
        }
        #expect(pages == published)
        let agreement = try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.get, .with { $0.seekerID = placed.seekerID },
                                                      token: placed.seeker.token)
        #expect([agreement.casePageTitle] == published)
    }

    @Test func publishingWithoutTheWikiRunningStoresNothing() async throws {
        let placed = try await PlacedSeeker(others: [])
        try await placed.agreeAndComplete()
        let missing = await rpcError {
            _ = try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.publish, .with { $0.seekerID = placed.seekerID },
                                              token: placed.seeker.token)
        }
        #expect(missing?.code == .unimplemented)
        let agreement = try await placed.fixture.call(Coi_Placements_V1_Agreements.Method.get, .with { $0.seekerID = placed.seekerID },
                                                      token: placed.seeker.token)
        #expect(agreement.casePageID.isEmpty && agreement.status == .completed)
    }
}
