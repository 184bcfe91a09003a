import COIPluginKit
import COIProto
import COIWire
import GRDB

extension PlacementsService {
    /// The most an import may send, all files together.
    static let importLimit = 64 << 20

    func registerImport(_ router: inout Router) {
        router.clientStreaming(Coi_Placements_V1_Seasons.Method.import, .write("placements.manage")) {
            (stream: RequestStream<Coi_Placements_V1_ImportChunk>, context) -> Coi_Placements_V1_ImportReply in
            var seasonID = ""
            var files: [String: [UInt8]] = [:]
            var total = 0
            for try await chunk in stream {
                if seasonID.isEmpty { seasonID = chunk.seasonID }
                guard chunk.seasonID.isEmpty || chunk.seasonID == seasonID else {
                    throw RPCError.invalidField("season_id", "one import fills one season; got \(seasonID) and \(chunk.seasonID)")
                }
                guard ImportFiles.names.contains(chunk.file) else {
                    throw RPCError.invalidField("file", "\"\(chunk.file)\" is not one of \(ImportFiles.names.joined(separator: ", "))")
                }
                total += chunk.data.count
                guard total <= Self.importLimit else {
                    throw RPCError(.resourceExhausted, "an import may send at most \(Self.importLimit >> 20) MiB", reason: "IMPORT_TOO_LARGE")
                }
                files[chunk.file, default: []].append(contentsOf: chunk.data)
            }
            guard !seasonID.isEmpty else { throw RPCError.invalidField("season_id", "is required") }
            let season = seasonID
            context.audit.target = "season:\(season)"
            try context.require("placements.manage", in: "season:\(season)")
            let parsed = try ImportFiles(files)
            let caller = context.principal.caller
            return try await self.write { db in
                let record = try SeasonRecord.require(db, id: season)
                try record.require([.draft, .offersOpen, .applicationsOpen, .matching], for: "importing")
                return try ImportPlan(files: parsed, season: record, caller: caller).run(db)
            }
        }
    }
}
