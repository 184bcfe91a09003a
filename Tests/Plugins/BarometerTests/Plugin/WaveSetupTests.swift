import COIHostTesting
import COIPluginKit
import COIProto
import Foundation
import Testing
@testable import COIBarometer

/// Frame, questionnaire, design and responses imports: all or nothing, errors naming line and column.
@Suite struct WaveSetupTests {
    @Test func aBadFrameNamesLineAndColumnAndChangesNothing() async throws {
        let fixture = try await BarometerFixture()
        let wave = try await fixture.call(Coi_Barometer_V1_Waves.Method.create, .with { $0.name = "Åbent" }).id
        for (csv, expected) in [
            ("unit_id,name,level,sector,size_class\nA,x,k,s,1\n", "missing column municipality_code"),
            ("unit_id,name,level,sector,size_class,municipality_code\nA,x,k,s,1,101\nA,y,k,s,1,101\n", "line 3, column unit_id: A is also on line 2"),
            ("unit_id,name,level,sector,size_class,municipality_code\nA,x,k,s,1,101\nB,y,,s,1,101\n", "line 3, column level: is empty"),
            ("unit_id,name,level,sector,size_class,municipality_code\nA,x,k,s,1,100\n", "line 2, column municipality_code"),
            ("unit_id,name,level,sector,size_class,municipality_code\nA,\"x,k,s,1,101\n", "never closed"),
        ] {
            let error = await rpcError {
                _ = try await fixture.call(Coi_Barometer_V1_Waves.Method.importFrame, .with {
                    $0.waveID = wave
                    $0.data = Data(csv.utf8)
                })
            }
            #expect(error?.code == .invalidArgument && error?.message.contains(expected) == true, "\(String(describing: error))")
        }
        let shown = try await fixture.call(Coi_Barometer_V1_Waves.Method.get, .with { $0.id = wave })
        #expect(shown.frameUnits == 0)
    }

    @Test func regionIsDerivedAndAuxiliaryColumnsKept() async throws {
        let fixture = try await BarometerFixture()
        let wave = try await fixture.call(Coi_Barometer_V1_Waves.Method.create, .with { $0.name = "Aux" }).id
        let reply = try await fixture.call(Coi_Barometer_V1_Waves.Method.importFrame, .with {
            $0.waveID = wave
            $0.data = Data("unit_id,name,level,sector,size_class,municipality_code,budget\nA,Ærø,k,s,1,101,høj\n".utf8)
        })
        #expect(reply.wave.frameVariables == ["level", "sector", "size_class", "municipality_code", "region", "budget"])
    }

    @Test func designAndQuestionnaireErrorsNameTheField() async throws {
        let fixture = try await BarometerFixture()
        let wave = try await fixture.drawnWave()
        let redraw = await rpcError { _ = try await fixture.call(Coi_Barometer_V1_Waves.Method.drawSample, .with { $0.waveID = wave }) }
        #expect(redraw?.reason == "SAMPLE_DRAWN")
        let other = try await fixture.call(Coi_Barometer_V1_Waves.Method.create, .with { $0.name = "Anden" }).id
        let badQuestionnaire = await rpcError {
            _ = try await fixture.call(Coi_Barometer_V1_Waves.Method.importQuestionnaire, .with {
                $0.waveID = other
                $0.document = #"{"questions": [{"id": "q1", "type": "yes_no", "text": "x", "optoins": []}]}"#
            })
        }
        #expect(badQuestionnaire?.fieldViolations.first?.field == "document" && badQuestionnaire?.message.contains("optoins") == true)
        _ = try await fixture.call(Coi_Barometer_V1_Waves.Method.importFrame, .with {
            $0.waveID = other
            $0.data = Data("unit_id,name,level,sector,size_class,municipality_code\nA,x,k,s,1,101\nB,y,k,s,1,101\n".utf8)
        })
        let tooLarge = await rpcError {
            _ = try await fixture.call(Coi_Barometer_V1_Waves.Method.setDesign, .with {
                $0.waveID = other
                $0.design = .with {
                    $0.strata = ["level"]
                    $0.allocation = .proportional
                    $0.sampleSize = 5
                    $0.seed = "1"
                }
            })
        }
        #expect(tooLarge?.fieldViolations.first?.field == "design.sample_size")
        let unknown = await rpcError {
            _ = try await fixture.call(Coi_Barometer_V1_Waves.Method.setDesign, .with {
                $0.waveID = other
                $0.design = .with {
                    $0.strata = ["colour"]
                    $0.allocation = .proportional
                    $0.sampleSize = 1
                    $0.seed = "1"
                }
            })
        }
        #expect(unknown?.fieldViolations.first?.field == "design.strata")
    }

    @Test func responsesImportIsCheckedAgainstSampleTypesAndRouting() async throws {
        let fixture = try await BarometerFixture()
        let wave = try await fixture.drawnWave()
        let units = try await fixture.sample(wave).compactMap { $0["unit_id"] }
        let outside = Set((0..<60).map { "U\($0)" }).subtracting(units).sorted().first ?? ""
        for (csv, expected) in [
            ("unit_id,q1,q2\n\(units[0]),no,a\n", "line 2, column q2: routing skips"),
            ("unit_id,q1\n\(outside),yes\n", "is not in the sample"),
            ("unit_id,q1,q9\n\(units[0]),yes,1\n", "column q9: not a question"),
            ("unit_id,q3\n\(units[0]),mange\n", "line 2, column q3: \"mange\" is not a number"),
            ("unit_id,q4.r1\n\(units[0]),6\n", "q4.r1"),
        ] {
            let error = await rpcError {
                _ = try await fixture.call(Coi_Barometer_V1_Waves.Method.importResponses, .with {
                    $0.waveID = wave
                    $0.data = Data(csv.utf8)
                })
            }
            #expect(error?.code == .invalidArgument && error?.message.contains(expected) == true, "\(String(describing: error))")
        }
        let reply = try await fixture.call(Coi_Barometer_V1_Waves.Method.importResponses, .with {
            $0.waveID = wave
            $0.data = Data(("unit_id,q1,q2,q3,q4.r1,q4.r2\n" + units.prefix(12).enumerated().map { index, unit in
                "\(unit),\(index % 3 == 0 ? "no" : "yes"),\(index % 3 == 0 ? "" : "b"),\(index * 2),\(1 + index % 5),\n"
            }.joined()).utf8)
        })
        #expect(reply.rows == 12 && reply.wave.completed == 12)
        let estimates = try await fixture.call(Coi_Barometer_V1_Estimates.Method.estimate, .with {
            $0.waveID = wave
            $0.questions = ["q1"]
        })
        let yes = try #require(estimates.estimates.first { $0.category == "yes" })
        #expect(yes.respondents == 12 && yes.hasNumbers && yes.numbers.estimate > 0.5)
        let microdata = try await fixture.sample(wave, table: .microdata)
        #expect(microdata.count == 12 && microdata.allSatisfy { $0["unit_id"] == nil && $0["token"] == nil && $0["weight"] != nil })
    }

    /// Free text can name the workplace that wrote it, so the microdata leave it out unless asked.
    @Test func microdataLeaveOutTextAnswersUnlessAsked() async throws {
        let fixture = try await BarometerFixture()
        let wave = try await fixture.drawnWave(questionnaire: """
            {"questions": [
              {"id": "q1", "type": "yes_no", "text": "Innoverede I?", "required": true},
              {"id": "q5", "type": "text", "text": "Fortæl om jeres idé"}
            ]}
            """)
        let units = try await fixture.sample(wave).compactMap { $0["unit_id"] }
        let words = "Vi på Ærø Kommunes plejecenter Søbakken lavede \"kaffe-ruten\""
        _ = try await fixture.call(Coi_Barometer_V1_Waves.Method.importResponses, .with {
            $0.waveID = wave
            $0.data = Data(("unit_id,q1,q5\n" + units.prefix(6).map { "\($0),yes,\"\(words.replacingOccurrences(of: "\"", with: "\"\""))\"\n" }.joined()).utf8)
        })
        let plain = try await fixture.sample(wave, table: .microdata)
        #expect(plain.count == 6 && plain.allSatisfy { $0["q1"] == "yes" && $0["q5"] == nil })
        let withText = try await fixture.sample(wave, table: .microdata, includeText: true)
        #expect(withText.count == 6 && withText.allSatisfy { $0["q5"] == words })
    }
}
