import COIHostTesting
import COIProto
import COIWire
import Testing
@testable import COIWiki

@Suite struct WikiPageAdminTests {
    @Test func renameLeavesARedirectAndKeepsHistory() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let created = try await wiki.save("Gammel titel", "tekst", token: anna.token)
        let moved = try await wiki.call(Coi_Wiki_V1_Pages.Method.rename, Coi_Wiki_V1_RenameRequest.with {
            $0.title = "Gammel titel"
            $0.newTitle = "Ny titel"
        }, token: anna.token)
        #expect(moved.title == "Ny titel")
        #expect(moved.id == created.page.id)
        #expect(moved.revision.tags == ["rename"])
        let viaOld = try await wiki.get("Gammel titel", token: anna.token)
        #expect(viaOld.title == "Ny titel")
        #expect(viaOld.redirectedFrom == "Gammel titel")
        let history = try await wiki.call(Coi_Wiki_V1_Pages.Method.history, Coi_Wiki_V1_HistoryRequest.with { $0.title = "Ny titel" },
                                          token: anna.token)
        #expect(history.revisions.count == 2)
        // Issue 13 item 13: as in MediaWiki, a move back over the redirect the move left works …
        let back = try await wiki.call(Coi_Wiki_V1_Pages.Method.rename, Coi_Wiki_V1_RenameRequest.with {
            $0.title = "Ny titel"
            $0.newTitle = "Gammel titel"
        }, token: anna.token)
        #expect(back.title == "Gammel titel" && back.id == created.page.id)
        #expect(try await wiki.get("Gammel titel", token: anna.token).redirectedFrom == "")
        #expect(try await wiki.get("Ny titel", token: anna.token).title == "Gammel titel", "the move left a new redirect")
        // … but not over a redirect someone has since edited: that is a page with its own history.
        let redirect = try await wiki.call(Coi_Wiki_V1_Pages.Method.get, Coi_Wiki_V1_GetPageRequest.with { $0.title = "Ny titel"; $0.noRedirect = true },
                                           token: anna.token)
        _ = try await wiki.save("Ny titel", "#REDIRECT [[Gammel titel]]\n[[Kategori:Flyttet]]\n", base: redirect.revision.id, token: anna.token)
        let taken = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.rename, Coi_Wiki_V1_RenameRequest.with { $0.title = "Gammel titel"; $0.newTitle = "Ny titel" },
                                    token: anna.token)
        }
        #expect(taken?.code == .alreadyExists)
    }

    @Test func deleteAndUndeleteKeepHistory() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let moderator = try await wiki.person("Moderator", roles: ["member", "moderator"])
        let r1 = try await wiki.save("Side", "en [[Mål]]", token: anna.token)
        _ = try await wiki.save("Side", "to [[Mål]]", base: r1.revision.id, token: anna.token)
        let denied = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.delete, Coi_Wiki_V1_DeletePageRequest.with { $0.title = "Side" },
                                    token: anna.token)
        }
        #expect(denied?.code == .permissionDenied)
        _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.delete, Coi_Wiki_V1_DeletePageRequest.with { $0.title = "Side"; $0.reason = "spam" },
                                token: moderator.token)
        #expect(await rpcError { _ = try await wiki.get("Side", token: anna.token) }?.code == .notFound)
        let backlinks = try await wiki.call(Coi_Wiki_V1_Discovery.Method.backlinks, Coi_Wiki_V1_ListRequest.with { $0.title = "Mål" },
                                            token: anna.token)
        #expect(backlinks.pages.isEmpty)
        let twice = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.delete, Coi_Wiki_V1_DeletePageRequest.with { $0.title = "Side" },
                                    token: moderator.token)
        }
        #expect(twice?.code == .failedPrecondition)
        let restored = try await wiki.call(Coi_Wiki_V1_Pages.Method.undelete, Coi_Wiki_V1_UndeletePageRequest.with { $0.title = "Side" },
                                           token: moderator.token)
        #expect(restored.text == "to [[Mål]]")
        let history = try await wiki.call(Coi_Wiki_V1_Pages.Method.history, Coi_Wiki_V1_HistoryRequest.with { $0.title = "Side" },
                                          token: anna.token)
        #expect(history.revisions.count == 2)
        let relinked = try await wiki.call(Coi_Wiki_V1_Discovery.Method.backlinks, Coi_Wiki_V1_ListRequest.with { $0.title = "Mål" },
                                           token: anna.token)
        #expect(relinked.pages.map(\.title) == ["Side"])
    }

    @Test func protectionLevelsAreEnforced() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let moderator = try await wiki.person("Moderator", roles: ["member", "moderator"])
        let created = try await wiki.save("Forside", "velkommen", token: anna.token)
        _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.protect, Coi_Wiki_V1_ProtectRequest.with { $0.title = "Forside"; $0.level = .moderated },
                                token: moderator.token)
        let blocked = await rpcError { try await wiki.save("Forside", "hærværk", base: created.revision.id, token: anna.token) }
        #expect(blocked?.code == .permissionDenied)
        let allowed = try await wiki.save("Forside", "velkommen til", base: created.revision.id, token: moderator.token)
        #expect(allowed.revision.authorName == "Moderator")
        let adminOnly = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.protect, Coi_Wiki_V1_ProtectRequest.with { $0.title = "Forside"; $0.level = .adminOnly },
                                    token: moderator.token)
        }
        #expect(adminOnly?.code == .permissionDenied)
        let unspecified = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.protect, Coi_Wiki_V1_ProtectRequest.with { $0.title = "Forside" },
                                    token: moderator.token)
        }
        #expect(unspecified?.fieldViolations.first?.field == "level")
    }
}
