import COIHostTesting
import COIProto
import COIWire
import Testing
@testable import COIHost

/// coi.core.v1.Reference through the call pipeline, as an anonymous local caller (no account) would call it.
@Suite struct ReferenceServiceTests {
    /// A local user linked to no account: anonymous.
    static let nobody = InProcessHost.Caller.unix(uid: 65534, gid: 65534)

    @Test(arguments: ["sjælland", "Sjaelland", "Region Sjælland", "region sjaelland", "1085", "sjaelland", " SJÆLLAND "])
    func municipalitiesOfARegionHoweverItIsWritten(region: String) async throws {
        let fixture = try await IdentityFixture(extra: [])
        let reply = try await fixture.host.call(Coi_Core_V1_Reference.Method.listMunicipalities, .with { $0.region = region },
                                                as: Self.nobody)
        #expect(reply.municipalities.count == 17)
        #expect(reply.municipalities.allSatisfy { $0.region.code == 1085 && $0.region.name == "Region Sjælland" })
        #expect(reply.municipalities.contains { $0.name == "Næstved" && $0.code == 370 })
    }

    @Test func regionsLevelsAndNameSearch() async throws {
        let fixture = try await IdentityFixture(extra: [])
        let regions = try await fixture.host.call(Coi_Core_V1_Reference.Method.listRegions, .init(), as: Self.nobody)
        #expect(regions.regions.map(\.code) == [1081, 1082, 1083, 1084, 1085])
        let all = try await fixture.host.call(Coi_Core_V1_Reference.Method.listMunicipalities, .init(), as: Self.nobody)
        #expect(all.municipalities.count == 98)
        let folded = try await fixture.host.call(Coi_Core_V1_Reference.Method.listMunicipalities, .with { $0.query = "koebenhavn" },
                                                 as: Self.nobody)
        #expect(folded.municipalities.map(\.name) == ["København"])
        let levels = try await fixture.host.call(Coi_Core_V1_Reference.Method.listGovernmentLevels, .init(), as: Self.nobody)
        #expect(levels.levels.map(\.slug) == ["state", "regional", "municipal"])
        let gladsaxe = try await fixture.host.call(Coi_Core_V1_Reference.Method.resolve, .with { $0.text = "Gladsaxe Kommune" },
                                                   as: Self.nobody)
        #expect(gladsaxe.municipality.code == 159 && gladsaxe.municipality.region.slug == "hovedstaden")
    }

    @Test func unknownRegionNamesTheField() async throws {
        let fixture = try await IdentityFixture(extra: [])
        let error = await rpcError {
            _ = try await fixture.host.call(Coi_Core_V1_Reference.Method.listMunicipalities, .with { $0.region = "Jylland" },
                                            as: Self.nobody)
        }
        #expect(error?.code == .invalidArgument && error?.fieldViolations.first?.field == "region")
        let missing = await rpcError {
            _ = try await fixture.host.call(Coi_Core_V1_Reference.Method.resolve, .with { $0.text = "Atlantis" }, as: Self.nobody)
        }
        #expect(missing?.code == .notFound)
    }
}
