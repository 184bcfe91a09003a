import COIPluginKit
import COIProto
import Foundation
import GRDB

extension BarometerService {
    func registerSample(_ router: inout Router) {
        router.unary(Coi_Barometer_V1_Waves.Method.setDesign, .write("barometer.manage")) { (request: Coi_Barometer_V1_SetDesignRequest, context) in
            context.audit.target = "wave:\(request.waveID)"
            let design = try Self.sampleDesign(request.design)
            let wave = try await self.write { db in
                let wave = try WaveRecord.require(db, id: request.waveID)
                try wave.requireNotDrawn("its design")
                let frame = try Self.frame(db, wave)
                // Allocating now refuses a design that cannot be drawn while it is being set, not later.
                do throws(DesignError) {
                    _ = try Allocator.allocate(populations: try frame.populationSizes(strata: design.strata), design: design)
                } catch {
                    throw RPCError.invalidField(Self.field(of: error), error.description)
                }
                try db.run(sql: "UPDATE barometer_waves SET design = ?, updated_at = ? WHERE id = ?",
                           arguments: [try request.design.serializedBytes() as Data, Timestamp.now(), wave.id])
                return try WaveRecord.require(db, id: wave.id).message
            }
            return wave
        }
        router.unary(Coi_Barometer_V1_Waves.Method.drawSample, .write("barometer.manage")) { (request: Coi_Barometer_V1_DrawSampleRequest, context) in
            context.audit.target = "wave:\(request.waveID)"
            let reply = try await self.write { db in
                let wave = try WaveRecord.require(db, id: request.waveID)
                try wave.requireNotDrawn("its sample")
                guard let stored = wave.design else {
                    throw RPCError(.failedPrecondition, "wave \(wave.id) has no design; run `coictl barometer design set \(wave.id) …`",
                                   reason: "NO_DESIGN")
                }
                _ = try Self.questionnaire(db, wave)
                let frame = try Self.frame(db, wave)
                let design = try Self.sampleDesign(stored)
                let sample: Sample
                do throws(DesignError) {
                    sample = try Sampler.draw(frame, design)
                } catch {
                    throw RPCError(.failedPrecondition, "the design no longer fits the frame: \(error.description)", reason: "DESIGN_INVALID")
                }
                let now = Timestamp.now()
                var reply = Coi_Barometer_V1_DrawSampleReply()
                for stratum in sample.strata {
                    let key = Self.keyText(stratum.key)
                    try db.run(sql: "INSERT INTO barometer_strata (wave_id, key, population, sample_size, take_all) VALUES (?, ?, ?, ?, ?)",
                               arguments: [wave.id, key, stratum.populationSize, stratum.sampleSize, stratum.takeAll])
                    for unit in stratum.unitIDs {
                        try db.run(sql: """
                            INSERT INTO barometer_sample (wave_id, unit_id, stratum, token, status, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                            """, arguments: [wave.id, unit, key, InvitationToken.make(), Coi_Barometer_V1_UnitStatus.invited.rawValue, now])
                    }
                    reply.strata.append(.with {
                        $0.key = stratum.key.values
                        $0.population = Int32(stratum.populationSize)
                        $0.sampleSize = Int32(stratum.sampleSize)
                        $0.takeAll = stratum.takeAll
                    })
                }
                try db.run(sql: "UPDATE barometer_waves SET drawn_at = ?, updated_at = ? WHERE id = ?", arguments: [now, now, wave.id])
                reply.wave = try WaveRecord.require(db, id: wave.id).message
                return reply
            }
            self.invalidate(request.waveID)
            return reply
        }
    }

    /// The request's design in the engine's terms, refusing what no frame could satisfy.
    /// - Parameter design: The design as sent.
    /// - Returns: The engine's design.
    static func sampleDesign(_ design: Coi_Barometer_V1_Design) throws -> SampleDesign {
        guard let seed = UInt64(design.seed) else {
            throw RPCError.invalidField("design.seed", "must be a whole number 0…18446744073709551615, is \"\(design.seed)\" "
                                        + "(the seed makes the draw reproducible, so it is required)")
        }
        if Set(design.strata).count != design.strata.count { throw RPCError.invalidField("design.strata", "names a variable twice") }
        guard design.minPerStratum >= 0 else { throw RPCError.invalidField("design.min_per_stratum", "must be 0 or more") }
        func keys(_ sizes: [Coi_Barometer_V1_StratumSize], _ field: String) throws -> [StratumKey: Int] {
            var result: [StratumKey: Int] = [:]
            for size in sizes {
                guard size.key.count == design.strata.count else {
                    throw RPCError.invalidField(field, "stratum \(size.key.joined(separator: "/")) needs one value per strata variable "
                                                + "(\(design.strata.joined(separator: ",")))")
                }
                result[StratumKey(size.key)] = Int(size.size)
            }
            return result
        }
        let allocation: SampleDesign.Allocation
        switch design.allocation {
        case .proportional: allocation = .proportional
        case .equal: allocation = .equal
        case .fixed: allocation = .fixed(try keys(design.fixedSizes, "design.fixed_sizes"))
        default: throw RPCError.invalidField("design.allocation", "must be PROPORTIONAL, EQUAL or FIXED")
        }
        return SampleDesign(strata: design.strata, allocation: allocation,
                            sampleSize: design.sampleSize == 0 ? nil : Int(design.sampleSize), minimumPerStratum: Int(design.minPerStratum),
                            takeAll: Set(try keys(design.takeAll, "design.take_all").keys), seed: seed)
    }

    /// The request field a design error is about.
    static func field(of error: DesignError) -> String {
        switch error {
        case .unknownVariable, .duplicateVariable: "design.strata"
        case .invalidSampleSize, .missingSampleSize, .sampleSizeTooLarge, .takeAllExceedsSample: "design.sample_size"
        case .unknownStratum, .missingFixedSize, .fixedSizeTooLarge: "design.fixed_sizes"
        case .minimumTooLarge: "design.min_per_stratum"
        case .emptyUnitID, .duplicateUnit, .valueCount: "wave_id"
        }
    }

    /// A wave's frame as the engine reads it.
    /// - Parameters:
    ///   - db: A transaction.
    ///   - wave: The wave.
    /// - Returns: The frame.
    /// - Throws: FAILED_PRECONDITION when no frame was imported.
    static func frame(_ db: Database, _ wave: WaveRecord) throws -> Frame {
        guard wave.frameUnits > 0 else {
            throw RPCError(.failedPrecondition, "wave \(wave.id) has no frame; run `coictl barometer frame import \(wave.id) FILE.csv`",
                           reason: "NO_FRAME")
        }
        let decoder = JSONDecoder()
        let units = try Row.fetchAll(db, sql: "SELECT unit_id, vals FROM barometer_frame WHERE wave_id = ?", arguments: [wave.id]).map { row in
            Frame.Unit(id: row["unit_id"], values: try decoder.decode([String].self, from: Data((row["vals"] as String).utf8)))
        }
        return try Frame(variables: wave.frameVariables, units: units)
    }

    /// A stratum key as stored: its values as a JSON array.
    static func keyText(_ key: StratumKey) -> String {
        String(decoding: (try? JSONEncoder().encode(key.values)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
