import COIPluginKit
import COIProto
import COIWire
import Foundation
import Testing
@testable import COIHost

/// Issue 10, item 1: random Unicode, NUL and control characters included, through the string
/// fields that used to be stored cut at NUL. Each write is either refused with INVALID_ARGUMENT
/// naming the field, or acknowledged and read back exactly as acknowledged — never cut, never
/// INTERNAL. (Every other string field of every request is covered for NUL by RequestScreenTests.)
@Suite struct TextFieldPropertyTests {
    static let rounds = 40

    /// What one write acknowledged for the field and what reading it back gives.
    typealias RoundTrip = (acknowledged: String, readBack: String)

    /// Runs `write` with random values and checks each outcome.
    func property(_ field: String, seed: UInt64, _ write: (String) async -> Result<RoundTrip, RPCError>) async {
        var random = RandomText(seed: seed)
        var acknowledged = 0
        for round in 0..<Self.rounds {
            // A third of the values are printable, a third everything but NUL, a third anything.
            let value = switch round % 3 {
            case 0: random.string(pools: RandomText.printable)
            case 1: random.string().replacingOccurrences(of: "\u{0}", with: "")
            default: random.string()
            }
            guard !value.isEmpty else { continue }
            switch await write(value) {
            case .success(let trip):
                acknowledged += 1
                #expect(!value.unicodeScalars.contains("\u{0}"), "\(field): a value with NUL was acknowledged: \(value.debugDescription)")
                #expect(trip.readBack == trip.acknowledged,
                        "\(field): acknowledged \(trip.acknowledged.debugDescription), read back \(trip.readBack.debugDescription)")
                #expect(trip.readBack.utf8.count == trip.acknowledged.utf8.count)
            case .failure(let error):
                #expect(error.code == .invalidArgument, "\(field) \(value.debugDescription): \(error)")
                #expect(error.fieldViolations.contains { $0.field.hasSuffix(field) }, "\(field) \(value.debugDescription): \(error)")
            }
        }
        #expect(acknowledged >= Self.rounds / 4, "\(field): only \(acknowledged) of \(Self.rounds) values were acknowledged")
    }

    @Test func wikiPageFields() async throws {
        let world = try await ReliabilityWorld()
        var counter = 0
        func save(title: String, text: String = "text", summary: String = "", sector: String? = nil) async -> Result<Coi_Wiki_V1_SaveReply, RPCError> {
            await world.outcome(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
                $0.title = title
                $0.text = text
                $0.summary = summary
                if let sector {
                    $0.caseFields = .with {
                        $0.level = .municipality
                        $0.municipalityCode = 751
                        $0.sector = sector
                    }
                }
            })
        }
        func get(_ title: String) async throws -> Coi_Wiki_V1_Page {
            try await world.call(Coi_Wiki_V1_Pages.Method.get, Coi_Wiki_V1_GetPageRequest.with { $0.title = title })
        }
        await property("title", seed: 1) { value in
            counter += 1
            // The counter keeps random titles apart (a second save of a title is PAGE_EXISTS).
            switch await save(title: value + " \(counter)") {
            case .failure(let error): return .failure(error)
            case .success(let reply):
                guard let page = try? await get(reply.page.title) else { return .failure(RPCError(.internal, "get failed")) }
                return .success((reply.page.title, page.title))
            }
        }
        await property("text", seed: 2) { value in
            counter += 1
            switch await save(title: "Text \(counter)", text: value) {
            case .failure(let error): return .failure(error)
            case .success(let reply):
                guard let page = try? await get(reply.page.title) else { return .failure(RPCError(.internal, "get failed")) }
                #expect(ContentHash.sha256Hex(page.text) == reply.revision.sha256, "the acknowledged hash is of the stored text")
                return .success((reply.page.text, page.text))
            }
        }
        await property("summary", seed: 3) { value in
            counter += 1
            switch await save(title: "Summary \(counter)", summary: value) {
            case .failure(let error): return .failure(error)
            case .success(let reply):
                let stored = try? await world.stored("SELECT CAST(summary AS BLOB) FROM wiki_revisions WHERE id = ?", [reply.revision.id])
                return .success((reply.revision.summary, stored ?? "<missing>"))
            }
        }
        await property("case_fields.sector", seed: 4) { value in
            counter += 1
            switch await save(title: "Case:Sector \(counter)", sector: value) {
            case .failure(let error): return .failure(error)
            case .success(let reply):
                guard let page = try? await get(reply.page.title) else { return .failure(RPCError(.internal, "get failed")) }
                return .success((reply.page.caseFields.sector, page.caseFields.sector))
            }
        }
        await property("new_title", seed: 5) { value in
            counter += 1
            guard case .success = await save(title: "Rename \(counter)") else { return .failure(RPCError(.internal, "save failed")) }
            let renamed: Result<Coi_Wiki_V1_Page, RPCError> = await world.outcome(Coi_Wiki_V1_Pages.Method.rename, Coi_Wiki_V1_RenameRequest.with {
                $0.title = "Rename \(counter)"
                $0.newTitle = value + " \(counter)"
            })
            switch renamed {
            case .failure(let error): return .failure(error)
            case .success(let page):
                guard let read = try? await get(page.title) else { return .failure(RPCError(.internal, "get failed")) }
                return .success((page.title, read.title))
            }
        }
    }

    @Test func nominationsAndAccountFields() async throws {
        let world = try await ReliabilityWorld()
        func campaign(_ title: String) async -> Result<Coi_Nominations_V1_Campaign, RPCError> {
            await world.outcome(Coi_Nominations_V1_Campaigns.Method.create, Coi_Nominations_V1_CreateCampaignRequest.with {
                $0.kind = .ideaAward
                $0.year = 2026
                $0.title = title
                $0.nominatorLimit = 10_000
            })
        }
        await property("title", seed: 11) { value in
            switch await campaign(value) {
            case .failure(let error): return .failure(error)
            case .success(let created):
                let read: Result<Coi_Nominations_V1_Campaign, RPCError> = await world.outcome(
                    Coi_Nominations_V1_Campaigns.Method.get, Coi_Nominations_V1_GetCampaignRequest.with { $0.id = created.id })
                return read.map { (created.title, $0.title) }
            }
        }
        guard case .success(let open) = await campaign("Open campaign") else { Issue.record("campaign"); return }
        _ = try await world.call(Coi_Nominations_V1_Campaigns.Method.setPhase, Coi_Nominations_V1_SetPhaseRequest.with {
            $0.id = open.id
            $0.phase = .nominationsOpen
        })
        var counter = 0
        func submit(name: String = "Bo Berg", idea: String = "An idea") async -> Result<Coi_Nominations_V1_Nomination, RPCError> {
            counter += 1
            return await world.outcome(Coi_Nominations_V1_Nominations.Method.submit, Coi_Nominations_V1_SubmitNominationRequest.with {
                $0.campaignID = open.id
                $0.nominees = [.with { $0.name = name }]
                $0.workplace = "Rådhuset"
                $0.municipalityCode = 751
                $0.title = "Idea \(counter)"
                $0.idea = idea
                $0.difference = "A difference"
            })
        }
        await property("name", seed: 12) { value in
            switch await submit(name: value) {
            case .failure(let error): return .failure(error)
            case .success(let nomination):
                let stored = try? await world.stored("SELECT CAST(name AS BLOB) FROM nominations_nominees WHERE nomination_id = ?", [nomination.id])
                return .success((value.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping, stored ?? "<missing>"))
            }
        }
        await property("idea", seed: 13) { value in
            switch await submit(idea: value) {
            case .failure(let error): return .failure(error)
            case .success(let nomination):
                let stored = try? await world.stored("SELECT CAST(idea AS BLOB) FROM nominations_nominations WHERE id = ?", [nomination.id])
                return .success((nomination.idea, stored ?? "<missing>"))
            }
        }
        await property("topic", seed: 14) { value in
            let created: Result<Coi_Nominations_V1_Storm, RPCError> = await world.outcome(
                Coi_Nominations_V1_IdeaStorms.Method.create, Coi_Nominations_V1_CreateStormRequest.with {
                    $0.topic = value
                    $0.opensAt = "2020-01-01T00:00:00Z"
                    $0.closesAt = "2099-01-01T00:00:00Z"
                })
            return await created.asyncFlatMap { storm in
                let read: Result<Coi_Nominations_V1_Storm, RPCError> = await world.outcome(
                    Coi_Nominations_V1_IdeaStorms.Method.get, Coi_Nominations_V1_GetStormRequest.with { $0.id = storm.id })
                return read.map { (storm.topic, $0.topic) }
            }
        }
        let storm: Coi_Nominations_V1_Storm = try await world.call(Coi_Nominations_V1_IdeaStorms.Method.create, Coi_Nominations_V1_CreateStormRequest.with {
            $0.topic = "Storm"
            $0.opensAt = "2020-01-01T00:00:00Z"
            $0.closesAt = "2099-01-01T00:00:00Z"
        })
        await property("body", seed: 15) { value in
            let proposed: Result<Coi_Nominations_V1_Proposal, RPCError> = await world.outcome(
                Coi_Nominations_V1_IdeaStorms.Method.propose, Coi_Nominations_V1_ProposeRequest.with {
                    $0.stormID = storm.id
                    $0.title = "Proposal"
                    $0.body = value
                })
            return await proposed.asyncFlatMap { proposal in
                let stored = try? await world.stored("SELECT CAST(body AS BLOB) FROM nominations_proposals WHERE id = ?", [proposal.id])
                return .success((proposal.body, stored ?? "<missing>"))
            }
        }
        await property("full_name", seed: 16) { value in
            let created: Result<Coi_Identity_V1_Account, RPCError> = await world.outcome(
                Coi_Identity_V1_Accounts.Method.create, Coi_Identity_V1_CreateAccountRequest.with {
                    $0.kind = .person
                    $0.fullName = value
                })
            return await created.asyncFlatMap { account in
                let read: Result<Coi_Identity_V1_Account, RPCError> = await world.outcome(
                    Coi_Identity_V1_Accounts.Method.get, Coi_Identity_V1_GetAccountRequest.with { $0.id = account.id })
                return read.map { (account.fullName, $0.fullName) }
            }
        }
    }
}

extension Result where Failure == RPCError {
    /// `flatMap` with an async transform.
    func asyncFlatMap<T>(_ transform: (Success) async -> Result<T, RPCError>) async -> Result<T, RPCError> {
        switch self {
        case .success(let value): await transform(value)
        case .failure(let error): .failure(error)
        }
    }
}
