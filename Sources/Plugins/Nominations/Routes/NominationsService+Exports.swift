import Foundation
import COIPluginKit
import COIProto
import COIWire
import GRDB

extension NominationsService {
    func registerExports(_ router: inout Router) {
        // Audited: the tables name nominees, nominators and jurors.
        router.serverStreaming(Coi_Nominations_V1_Campaigns.Method.export, .read("nominations.export").audited()) {
            (request: Coi_Nominations_V1_ExportRequest, context, writer: ResponseWriter<Coi_Nominations_V1_CsvChunk>) in
            context.audit.target = "campaign:\(request.campaignID)"
            try context.require("nominations.export", in: "campaign:\(request.campaignID)")
            let campaign = try await self.read { db in try CampaignRecord.require(db, id: request.campaignID) }
            var csv = try ExportWriter(writer: writer, format: request.format)
            switch request.table {
            case .nominations: try await self.exportNominations(campaign, &csv)
            case .scores: try await self.exportScores(campaign, &csv)
            case .results: try await self.exportResults(campaign, &csv)
            default: throw RPCError.invalidField("table", "must be NOMINATIONS, SCORES or RESULTS")
            }
            try await csv.flush()
        }
        router.serverStreaming(Coi_Nominations_V1_Campaigns.Method.feed, .read("nominations.read"), lifetime: .longLived) {
            (request: Coi_Nominations_V1_FeedRequest, _, writer: ResponseWriter<Coi_Nominations_V1_Event>) in
            guard request.after >= 0 else { throw RPCError.invalidField("after", "must be 0 or a cursor from an event, is \(request.after)") }
            var cursor = request.after
            while true {
                try Task.checkCancellation()
                let from = cursor
                let events = try await self.read { db in
                    try Row.cachedAll(db, sql: """
                        SELECT * FROM nominations_events WHERE cursor > ? AND (? = '' OR campaign_id = ?) ORDER BY cursor LIMIT 500
                        """, arguments: [from, request.campaignID, request.campaignID]).map { row in
                        Coi_Nominations_V1_Event.with {
                            $0.cursor = row["cursor"]
                            $0.time = row["time"]
                            $0.campaignID = row["campaign_id"]
                            $0.kind = row["kind"]
                            $0.subject = row["subject"]
                            $0.detail = row["detail"]
                        }
                    }
                }
                for event in events {
                    try await writer.send(event)
                    cursor = event.cursor
                }
                if events.count == 500 { continue }
                if !request.follow { return }
                await self.signal.wait(timeout: .seconds(1))
            }
        }
    }

    private func exportNominations(_ campaign: CampaignRecord, _ csv: inout ExportWriter) async throws {
        try await csv.header(["id", "campaign_id", "state", "state_reason", "title", "idea", "difference", "origin", "origin_wiki_case",
                             "nominees", "consented", "workplace", "municipality_code", "municipality", "region", "nominator_id",
                             "nominator_name", "endorsements", "open_reports", "hidden", "duplicate_of", "submitted_at", "updated_at"])
        var after: Int64 = 0
        while true {
            let from = after
            let records = try await read { db in
                try NominationRecord.fetch(db, "WHERE n.campaign_id = ? AND n.seq > ? ORDER BY n.seq LIMIT 500", [campaign.id, from])
            }
            for record in records {
                let municipality = Denmark.municipality(code: record.municipalityCode)
                try await csv.row([.text(record.id), .text(record.campaignID), .text(record.state.name), .text(record.stateReason),
                                   .text(record.title), .text(record.idea), .text(record.difference), .text(record.origin),
                                   .text(record.originWikiCase), .text(record.nominees.map(\.name).joined(separator: "; ")),
                                   .bool(record.consented), .text(record.workplace), .int(record.municipalityCode),
                                   .text(municipality?.name ?? ""), .text(municipality?.region.id ?? ""), .text(record.nominatorID),
                                   .text(record.nominatorName), .int(record.endorsements), .int(record.openReports), .bool(record.hidden),
                                   .text(record.duplicateOf), .text(record.submittedAt), .text(record.updatedAt)])
            }
            guard let last = records.last, records.count == 500 else { return }
            after = last.seq
        }
    }

    private func exportScores(_ campaign: CampaignRecord, _ csv: inout ExportWriter) async throws {
        try await csv.header(["campaign_id", "nomination_id", "juror_id", "juror_name"] + campaign.criteria.map(\.key)
                            + ["weighted", "comment", "updated_at"])
        var after: Int64 = 0
        while true {
            let from = after
            let page = try await read { db -> (records: [[ExportValue]], last: Int64?) in
                let rows = try Row.cachedAll(db, sql: """
                    SELECT s.rowid AS seq, s.*, COALESCE(a.full_name, '') AS juror_name FROM nominations_scores s
                    \(AccountNames.join(on: "s.juror_id")) WHERE s.campaign_id = ? AND s.rowid > ? ORDER BY s.rowid LIMIT 500
                    """, arguments: [campaign.id, from])
                let records = rows.map { row -> [ExportValue] in
                    let scores = (row["scores"] as String).split(separator: ",").map { ExportValue.int(Int($0) ?? 0) }
                    return [.text(campaign.id), .text(row["nomination_id"]), .text(row["juror_id"]), .text(row["juror_name"])] + scores
                        + [.double(row["weighted"]), .text(row["comment"]), .text(row["updated_at"])]
                }
                return (records, rows.count == 500 ? rows.last?["seq"] : nil)
            }
            for record in page.records { try await csv.row(record) }
            guard let last = page.last else { return }
            after = last
        }
    }

    private func exportResults(_ campaign: CampaignRecord, _ csv: inout ExportWriter) async throws {
        let results = try await read { db in try Self.storedResults(db, campaign, publicView: false) }
        try await csv.header(["campaign_id", "region", "rank", "nomination_id", "title", "score", "sheets", "top_ranks", "endorsements",
                             "excluded", "role", "published_at"])
        for region in results.regions {
            for ranked in region.ranking {
                let role = ranked.nominationID == results.nationalWinnerID ? "national winner"
                    : ranked.nominationID == region.winnerID ? "regional winner"
                    : region.alternates.contains(ranked.nominationID) ? "alternate" : ""
                try await csv.row([.text(campaign.id), .text(region.region), .int(Int(ranked.rank)), .text(ranked.nominationID),
                                   .text(ranked.title), .double(ranked.score), .int(Int(ranked.sheets)), .int(Int(ranked.topRanks)),
                                   .int(Int(ranked.endorsements)), .bool(ranked.excluded), .text(role), .text(results.publishedAt)])
            }
        }
    }
}
