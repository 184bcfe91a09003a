import COIPluginKit
import COIProto
import Foundation
import GRDB

/// A wave as stored, with its counts of sampled units by status.
struct WaveRecord: Sendable {
    var id: String
    var name: String
    var referencePeriod: String
    var minRespondents: Int
    var frameVariables: [String]
    var frameUnits: Int
    var questionnaireVersion: Int
    var design: Coi_Barometer_V1_Design?
    var drawnAt: String
    var createdAt: String
    var counts: [Coi_Barometer_V1_UnitStatus: Int] = [:]

    /// The wave with an id, or NOT_FOUND naming the field.
    /// - Parameters:
    ///   - db: A transaction.
    ///   - id: The wave id.
    ///   - field: The request field that named it.
    /// - Returns: The wave.
    static func require(_ db: Database, id: String, field: String = "wave_id") throws -> WaveRecord {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required: the wave's id (wav_…)") }
        guard let row = try Row.cachedOne(db, sql: "SELECT * FROM barometer_waves WHERE id = ?", arguments: [id]) else {
            throw RPCError(.notFound, "no wave \(id)", reason: "WAVE_NOT_FOUND")
        }
        var record = try WaveRecord(row: row)
        for count in try Row.cachedAll(db, sql: "SELECT status, COUNT(*) AS n FROM barometer_sample WHERE wave_id = ? GROUP BY status",
                                       arguments: [id]) {
            if let status = Coi_Barometer_V1_UnitStatus(rawValue: count["status"]) { record.counts[status] = count["n"] }
        }
        return record
    }

    init(row: Row) throws {
        id = row["id"]
        name = row["name"]
        referencePeriod = row["reference_period"]
        minRespondents = row["min_respondents"]
        frameVariables = (try? JSONDecoder().decode([String].self, from: Data((row["frame_variables"] as String).utf8))) ?? []
        frameUnits = row["frame_units"]
        questionnaireVersion = row["questionnaire_version"]
        if let bytes = row["design"] as Data? { design = try Coi_Barometer_V1_Design(serializedBytes: bytes) }
        drawnAt = row["drawn_at"]
        createdAt = row["created_at"]
    }

    var drawn: Bool { !drawnAt.isEmpty }

    /// Fails unless the sample has not been drawn yet: the frame, design and questionnaire the
    /// invitations went out with must stay what they were.
    /// - Parameter what: What the caller wanted to change.
    func requireNotDrawn(_ what: String) throws {
        if drawn {
            throw RPCError(.failedPrecondition, "wave \(id)'s sample was drawn at \(drawnAt); \(what) can no longer change",
                           reason: "SAMPLE_DRAWN")
        }
    }

    /// Fails unless the sample has been drawn.
    func requireDrawn() throws {
        if !drawn {
            throw RPCError(.failedPrecondition, "wave \(id) has no sample yet; run `coictl barometer sample draw \(id)`",
                           reason: "SAMPLE_NOT_DRAWN")
        }
    }

    var message: Coi_Barometer_V1_Wave {
        .with {
            $0.id = id
            $0.name = name
            $0.referencePeriod = referencePeriod
            $0.minRespondents = Int32(minRespondents)
            $0.frameVariables = frameVariables
            $0.frameUnits = Int32(frameUnits)
            $0.questionnaireVersion = Int32(questionnaireVersion)
            if let design { $0.design = design }
            $0.drawn = drawn
            $0.drawnAt = drawnAt
            $0.createdAt = createdAt
            $0.invited = Int32(counts[.invited] ?? 0)
            $0.started = Int32(counts[.started] ?? 0)
            $0.completed = Int32(counts[.completed] ?? 0)
            $0.refused = Int32(counts[.refused] ?? 0)
            $0.sampled = $0.invited + $0.started + $0.completed + $0.refused
        }
    }
}
