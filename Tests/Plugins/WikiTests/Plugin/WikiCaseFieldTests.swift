import COIHostTesting
import COIProto
import COIWire
import Testing
@testable import COIWiki

/// Case fields are edited like the text (issue 13 item 4): a save names the fields it changes
/// (`case_field_mask`) and the others keep their values; changes show in diff and history; case
/// fields on a normal page are refused naming the field.
@Suite struct WikiCaseFieldTests {
    static let initial = Coi_Wiki_V1_CaseFields.with {
        $0.level = .municipality
        $0.municipalityCode = 751
        $0.sector = "health"
        $0.effect = "Kortere ventetid"
        $0.process = "Ét hus for alle"
        $0.contact = "Rådhuset"
    }

    @Test func aMaskChangesOnlyTheNamedFields() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let r1 = try await wiki.save("Case:Sundhedshus", "Et hus.", token: anna.token, fields: Self.initial)
        #expect(r1.revision.changedFields == ["level", "municipality_code", "region_code", "sector", "effect", "process", "contact"])
        // Only the effect: level, place, sector and the other texts are kept.
        let r2 = try await wiki.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
            $0.title = "Case:Sundhedshus"
            $0.text = "Et hus."
            $0.baseRevisionID = r1.revision.id
            $0.caseFields = .with { $0.effect = "Halveret ventetid" }
            $0.caseFieldMask = ["effect"]
        }, token: anna.token)
        #expect(!r2.unchanged)
        var expected = Self.initial
        expected.regionCode = 1082
        expected.effect = "Halveret ventetid"
        #expect(r2.page.caseFields == expected)
        #expect(r2.revision.changedFields == ["effect"])
        // A new level drops the place it has no use for; the region given is kept.
        let r3 = try await wiki.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
            $0.title = "Case:Sundhedshus"
            $0.text = "Et hus."
            $0.baseRevisionID = r2.revision.id
            $0.caseFields = .with { $0.level = .region; $0.regionCode = 1085 }
            $0.caseFieldMask = ["level", "region_code"]
        }, token: anna.token)
        #expect(r3.page.caseFields.level == .region && r3.page.caseFields.municipalityCode == 0 && r3.page.caseFields.regionCode == 1085)
        #expect(r3.page.caseFields.effect == "Halveret ventetid" && r3.page.caseFields.sector == "health")

        let diff = try await wiki.call(Coi_Wiki_V1_Pages.Method.diff, Coi_Wiki_V1_DiffRequest.with {
            $0.fromRevisionID = r1.revision.id
            $0.toRevisionID = r3.revision.id
        }, token: anna.token)
        #expect(diff.hunks.isEmpty)
        #expect(diff.fieldChanges.map(\.field) == ["level", "municipality_code", "region_code", "effect"])
        #expect(diff.fieldChanges.last?.from == "Kortere ventetid" && diff.fieldChanges.last?.to == "Halveret ventetid")
        let history = try await wiki.call(Coi_Wiki_V1_Pages.Method.history, Coi_Wiki_V1_HistoryRequest.with { $0.title = "Case:Sundhedshus" },
                                          token: anna.token)
        #expect(history.revisions.map(\.changedFields) == [["level", "municipality_code", "region_code"], ["effect"],
                                                           r1.revision.changedFields])
        // The same fields again: nothing to save.
        let same = try await wiki.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
            $0.title = "Case:Sundhedshus"
            $0.text = "Et hus."
            $0.baseRevisionID = r3.revision.id
            $0.caseFields = .with { $0.effect = "Halveret ventetid" }
            $0.caseFieldMask = ["effect"]
        }, token: anna.token)
        #expect(same.unchanged)
    }

    @Test func wrongUseIsRefusedNamingTheField() async throws {
        let wiki = try await WikiFixture()
        let anna = try await wiki.person("Anna")
        let page = try await wiki.save("Plan", "tekst", token: anna.token)
        let onNormalPage = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
                $0.title = "Plan"
                $0.text = "tekst 2"
                $0.baseRevisionID = page.revision.id
                $0.caseFields = .with { $0.sector = "health" }
                $0.caseFieldMask = ["sector"]
            }, token: anna.token)
        }
        #expect(onNormalPage?.code == .invalidArgument && onNormalPage?.fieldViolations.first?.field == "case_field_mask")
        let r1 = try await wiki.save("Case:Hus", "Et hus.", token: anna.token, fields: WikiCaseFieldTests.initial)
        for (mask, field) in [(["effekt"], "case_field_mask[0]"), (["effect", "effect"], "case_field_mask[1]")] {
            let refused = await rpcError {
                _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
                    $0.title = "Case:Hus"
                    $0.text = "Et hus."
                    $0.baseRevisionID = r1.revision.id
                    $0.caseFieldMask = mask
                }, token: anna.token)
            }
            #expect(refused?.code == .invalidArgument && refused?.fieldViolations.first?.field == field, "\(mask)")
        }
        // A masked value is still checked: an unknown municipality.
        let badPlace = await rpcError {
            _ = try await wiki.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
                $0.title = "Case:Hus"
                $0.text = "Et hus."
                $0.baseRevisionID = r1.revision.id
                $0.caseFields = .with { $0.municipalityCode = 999 }
                $0.caseFieldMask = ["municipality_code"]
            }, token: anna.token)
        }
        #expect(badPlace?.fieldViolations.first?.field == "case_fields.municipality_code")
        #expect(try await wiki.get("Case:Hus").revision.id == r1.revision.id)
    }
}
