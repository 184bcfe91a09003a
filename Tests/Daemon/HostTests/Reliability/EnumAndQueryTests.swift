import COIPluginKit
import COIProto
import COIRPC
import COIWire
import Foundation
import SwiftProtobuf
import Testing

/// Issue 10, items 3 and 4 through the real routers: unknown enum numbers, search query syntax
/// and over-long LIKE patterns all answer INVALID_ARGUMENT naming the field, never INTERNAL.
@Suite struct EnumAndQueryTests {
    /// The field an INVALID_ARGUMENT named, or a description of what happened instead.
    func refusedField<Request: Message, Reply: Message>(_ world: ReliabilityWorld, _ rpc: RPC<Request, Reply>, _ request: Request) async -> String {
        switch await world.outcome(rpc, request) {
        case .success: "accepted"
        case .failure(let error) where error.code == .invalidArgument: error.fieldViolations.first?.field ?? "no field: \(error)"
        case .failure(let error): "\(error)"
        }
    }

    @Test func unknownEnumNumbersAreRefused() async throws {
        let world = try await ReliabilityWorld()
        #expect(await refusedField(world, Coi_Nominations_V1_Campaigns.Method.create, Coi_Nominations_V1_CreateCampaignRequest.with {
            $0.kind = .UNRECOGNIZED(99)
            $0.year = 2026
            $0.title = "Kind 99"
        }) == "kind")
        #expect(await refusedField(world, Coi_Nominations_V1_Nominations.Method.report, Coi_Nominations_V1_ReportRequest.with {
            $0.nominationID = "nom_x"
            $0.reason = .UNRECOGNIZED(99)
        }) == "reason")
        #expect(await refusedField(world, Coi_Nominations_V1_IdeaStorms.Method.assess, Coi_Nominations_V1_AssessRequest.with {
            $0.proposalID = "prp_x"
            $0.assessment = .UNRECOGNIZED(99)
        }) == "assessment")
        #expect(await refusedField(world, Coi_Nominations_V1_Nominations.Method.list, Coi_Nominations_V1_ListNominationsRequest.with {
            $0.campaignID = "cmp_x"
            $0.state = .UNRECOGNIZED(99)
        }) == "state")
        #expect(await refusedField(world, Coi_Wiki_V1_Pages.Method.protect, Coi_Wiki_V1_ProtectRequest.with {
            $0.title = "Page"
            $0.level = .UNRECOGNIZED(99)
        }) == "level")
        #expect(await refusedField(world, Coi_Nominations_V1_Campaigns.Method.create, Coi_Nominations_V1_CreateCampaignRequest.with {
            $0.kind = .ideaAward
            $0.year = 2026
            $0.title = "Schedule 99"
            $0.schedule = [.with { $0.phase = .UNRECOGNIZED(99) }]
        }) == "schedule.phase")
    }

    @Test func lookAlikeTitlesCannotBeDifferentPages() async throws {
        let world = try await ReliabilityWorld()
        func save(_ title: String) async -> Result<Coi_Wiki_V1_SaveReply, RPCError> {
            await world.outcome(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
                $0.title = title
                $0.text = "x"
            })
        }
        guard case .success = await save("Havn\u{00E5}") else { Issue.record("first save"); return }
        // The decomposed spelling is the same page (PAGE_EXISTS), not a second one.
        if case .failure(let error) = await save("Havna\u{030A}") { #expect(error.reason == "PAGE_EXISTS") } else { Issue.record("look-alike saved") }
        for invisible in ["Hav\u{200B}nå", "Havnå\u{202E}", "Hav\u{00AD}nå"] {
            if case .failure(let error) = await save(invisible) {
                #expect(error.code == .invalidArgument && error.fieldViolations.first?.field == "title")
            } else {
                Issue.record("\(invisible.debugDescription) saved")
            }
        }
        if case .failure(let error) = await world.outcome(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
            $0.title = "Summaries"
            $0.text = "x"
            $0.summary = "fine\n\u{1B}[2Jforged line"
        }) {
            #expect(error.fieldViolations.first?.field == "summary")
        } else {
            Issue.record("a summary with a newline and an escape was saved")
        }
    }

    /// Queries that use FTS5's syntax, or would if passed through: every one answers, none is INTERNAL.
    static let queryLanguage = [
        "aarhus komm*", "velfærd* aarhus", "x a*", "a* b* c*", "komm* aarhus*", "\"aarhus kommune\"", "\"unbalanced", "aarhus\"",
        "aarhus AND kommune", "aarhus OR kommune", "NOT aarhus", "aarhus NOT kommune", "NEAR(aarhus kommune)", "NEAR(aarhus kommune, 2)",
        "aarhus NEAR/2 kommune", "(aarhus", "aarhus)", "((aarhus) OR (kommune))", "title:aarhus", "text:komm*", "{title text}:aarhus",
        "-aarhus", "- aarhus", "^aarhus", "aarhus^", "*", "**", "a**", "*a", "AND", "OR", "NOT", "NEAR", "and or not", "\"\"", "''",
        "aarhus + kommune", "col:", ":", "a:b:c*", "æøå*", "Å* ø*", "København* velfærd", "\u{0301}*", "😀 komm*", "中文*",
    ]

    @Test func searchQueriesNeverReachFTS5Syntax() async throws {
        let world = try await ReliabilityWorld()
        for (index, text) in ["Aarhus Kommune arbejder med velfærd", "Kommunernes samarbejde om x", "Velfærdsteknologi i Aarhus"].enumerated() {
            _ = try await world.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
                $0.title = "Side \(index)"
                $0.text = text
            })
        }
        var random = RandomText(seed: 7)
        let randomQueries = (0..<200).map { _ in random.string(maxLength: 30).replacingOccurrences(of: "\u{0}", with: "") }
        for query in Self.queryLanguage + randomQueries {
            let result: Result<Coi_Wiki_V1_SearchReply, RPCError> = await world.outcome(
                Coi_Wiki_V1_Discovery.Method.search, Coi_Wiki_V1_SearchRequest.with { $0.query = query })
            if case .failure(let error) = result {
                #expect(error.code == .invalidArgument && error.fieldViolations.first?.field == "query", "\(query.debugDescription): \(error)")
            }
        }
        let prefixed: Coi_Wiki_V1_SearchReply = try await world.call(Coi_Wiki_V1_Discovery.Method.search,
                                                                     Coi_Wiki_V1_SearchRequest.with { $0.query = "aarhus komm*" })
        #expect(prefixed.hits.map(\.title) == ["Side 0"])
        let reversed: Coi_Wiki_V1_SearchReply = try await world.call(Coi_Wiki_V1_Discovery.Method.search,
                                                                     Coi_Wiki_V1_SearchRequest.with { $0.query = "velfærd* aarhus" })
        #expect(Set(reversed.hits.map(\.title)) == ["Side 0", "Side 2"])
    }

    @Test func longAccountQueriesAreInvalidNotInternal() async throws {
        let world = try await ReliabilityWorld()
        for query in [String(repeating: "a", count: 50_000), String(repeating: "%", count: 25_000), String(repeating: "_", count: 30_000)] {
            #expect(await refusedField(world, Coi_Identity_V1_Accounts.Method.list, Coi_Identity_V1_ListAccountsRequest.with { $0.query = query }) == "query")
        }
        // Wildcards are literal: "%" finds no one, a part of a name finds its account.
        let percent: Coi_Identity_V1_ListAccountsReply = try await world.call(Coi_Identity_V1_Accounts.Method.list,
                                                                              Coi_Identity_V1_ListAccountsRequest.with { $0.query = "%" })
        #expect(percent.accounts.isEmpty)
        let part: Coi_Identity_V1_ListAccountsReply = try await world.call(Coi_Identity_V1_Accounts.Method.list,
                                                                           Coi_Identity_V1_ListAccountsRequest.with { $0.query = "Reliab" })
        #expect(part.accounts.count == 1)
    }
}
