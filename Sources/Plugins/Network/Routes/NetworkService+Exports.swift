import COIPluginKit
import COIProto
import GRDB

extension NetworkService {
    /// Columns of the public export: nothing a member did not consent to show, no e-mail, no account.
    static let publicColumns = ["ref", "full_name", "party", "party_name", "body", "municipality_code", "municipality", "region_code",
                                "region", "role", "term_start", "term_end"]
    /// The admin export adds the membership's bookkeeping.
    static let adminColumns = ["id"] + publicColumns + ["account_id", "email", "status", "invited_at", "active_since", "ceased_at",
                                                         "public_consent"]

    func registerExports(_ router: inout Router) {
        // The full table holds members' contact details: that export is audited, refused or not;
        // the public one (open to the public website with `anonymous_read`) names no target and is not.
        router.serverStreaming(Coi_Network_V1_Members.Method.export, .read("network.read").auditedWhenTargeted()) {
            (request: Coi_Network_V1_ExportMembersRequest, context, writer: ResponseWriter<Coi_Network_V1_CsvChunk>) in
            if !request.publicOnly {
                context.audit.target = "members:all"
                try context.require("network.export", in: "network")
            }
            var csv = CSVWriter(writer: writer)
            try await csv.write(request.publicOnly ? Self.publicColumns : Self.adminColumns)
            var after: Int64 = 0
            while true {
                let from = after
                let page = try await self.read { db -> [(MemberRecord, String)] in
                    let records = try MemberRecord.fetch(db, request.publicOnly
                        ? "WHERE m.seq > ? AND m.status = 2 AND m.public_consent = 1 ORDER BY m.seq LIMIT 500"
                        : "WHERE m.seq > ? ORDER BY m.seq LIMIT 500", [from])
                    return try records.map { ($0, request.publicOnly ? "" : try AccountNames.email(db, id: $0.accountID)) }
                }
                for (member, email) in page {
                    let common = [member.ref, member.fullName, member.party, member.partyName, member.body.slug,
                                  member.municipalityCode == 0 ? "" : String(member.municipalityCode),
                                  Denmark.municipality(code: member.municipalityCode)?.name ?? "",
                                  member.regionCode == 0 ? "" : String(member.regionCode), Denmark.region(code: member.regionCode)?.name ?? "",
                                  member.role, member.termStart, member.termEnd]
                    try await csv.write(request.publicOnly ? common : [member.id] + common
                                        + [member.accountID, email, member.status.name.lowercased(), member.invitedAt, member.activeSince,
                                           member.ceasedAt, member.publicConsent ? "yes" : "no"])
                }
                guard let last = page.last, page.count == 500 else { break }
                after = last.0.seq
            }
            try await csv.flush()
        }
        router.serverStreaming(Coi_Network_V1_Network.Method.feed, .read("network.read"), lifetime: .longLived) {
            (request: Coi_Network_V1_FeedRequest, _, writer: ResponseWriter<Coi_Network_V1_Event>) in
            guard request.after >= 0 else { throw RPCError.invalidField("after", "must be 0 or a cursor from an event, is \(request.after)") }
            var cursor = request.after
            while true {
                try Task.checkCancellation()
                let from = cursor
                let events = try await self.read { db in
                    try Row.cachedAll(db, sql: "SELECT * FROM network_events WHERE cursor > ? ORDER BY cursor LIMIT 500",
                                      arguments: [from]).map { row in
                        Coi_Network_V1_Event.with {
                            $0.cursor = row["cursor"]
                            $0.time = row["time"]
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
}
