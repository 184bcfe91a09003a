import COIHost
import COIHostTesting
import COIPluginKit
import COIProto
import COIRPC
import Foundation
import SwiftProtobuf
@testable import COIBarometer

/// Core, identity and the barometer on a temporary database, called through the daemon's own call
/// pipeline; a small wave ready to draw.
struct BarometerFixture {
    let bench: PluginTestHost

    init() async throws {
        bench = try await PluginTestHost(plugins: [BarometerPlugin()])
    }

    /// A local process of a Unix user with no account: how a respondent's web front end calls.
    static let nobody = InProcessHost.Caller.unix(uid: 65534, gid: 65534)

    func call<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request, token: String? = nil) async throws -> Reply {
        try await bench.call(rpc, request, token: token)
    }

    func anonymous<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request) async throws -> Reply {
        try await bench.host.call(rpc, request, as: Self.nobody)
    }

    static let questionnaire = """
        {"questions": [
          {"id": "q1", "type": "yes_no", "text": "Innoverede I?", "required": true},
          {"id": "q2", "type": "single_choice", "text": "Hvilken slags?", "options": [{"code": "a", "label": "Ydelse"}, {"code": "b", "label": "Proces"}]},
          {"id": "q3", "type": "numeric", "text": "Hvor mange?", "min": 0, "max": 100},
          {"id": "q4", "type": "matrix", "text": "Hvor enig?", "rows": [{"code": "r1", "label": "Ledelse"}, {"code": "r2", "label": "Kultur"}], "scale": 5}
        ],
        "routing": [{"question": "q2", "when": {"q1": "yes"}}]}
        """

    /// A wave with a frame of 60 workplaces in 4 strata, the questionnaire, and a drawn sample of 24.
    func drawnWave(questionnaire: String = Self.questionnaire) async throws -> String {
        let wave = try await call(Coi_Barometer_V1_Waves.Method.create, .with { $0.name = "Bølge 1" }).id
        var csv = "unit_id,name,level,sector,size_class,municipality_code,contact_name,contact_email\n"
        for index in 0..<60 {
            csv += "U\(index),Arbejdsplads \(index) på Ærø,\(index % 2 == 0 ? "kommune" : "stat"),\(index % 4 < 2 ? "social" : "skole"),"
                + "\(index % 3 == 0 ? "50+" : "1-49"),\([101, 751, 461][index % 3]),Åse Øberg \(index),aase\(index)@example.dk\n"
        }
        _ = try await call(Coi_Barometer_V1_Waves.Method.importFrame, .with {
            $0.waveID = wave
            $0.data = Data(csv.utf8)
        })
        _ = try await call(Coi_Barometer_V1_Waves.Method.importQuestionnaire, .with {
            $0.waveID = wave
            $0.document = questionnaire
        })
        _ = try await call(Coi_Barometer_V1_Waves.Method.setDesign, .with {
            $0.waveID = wave
            $0.design = .with {
                $0.strata = ["level", "sector"]
                $0.allocation = .proportional
                $0.sampleSize = 24
                $0.minPerStratum = 2
                $0.seed = "7"
            }
        })
        _ = try await call(Coi_Barometer_V1_Waves.Method.drawSample, .with { $0.waveID = wave })
        return wave
    }

    /// The sample export's rows as dictionaries.
    func sample(_ wave: String, table: Coi_Barometer_V1_Table = .sample, includeText: Bool = false) async throws -> [[String: String]] {
        let chunks = try await bench.stream(Coi_Barometer_V1_Waves.Method.export, .with {
            $0.waveID = wave
            $0.table = table
            $0.includeText = includeText
        })
        let text = String(decoding: chunks.reduce(Data()) { $0 + $1.data }, as: UTF8.self)
        let records = try CSVReader.parse(text)
        guard let header = records.first?.fields else { return [] }
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.fields)) }
    }
}
