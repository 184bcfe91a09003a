import COIPluginKit
import COIProto
import COIWire
import GRDB

extension IdentityPlugin {

    func registerAudit(_ router: inout Router) {
        let identity = self.identity
        router.unary(Coi_Identity_V1_Audit.Method.list, .read("identity.audit.read")) { (request: Coi_Identity_V1_ListAuditRequest, _) -> Coi_Identity_V1_ListAuditReply in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            var conditions = ["sequence > ?"]
            var arguments: StatementArguments = [after]
            for (field, value, op) in [("since", request.since, ">="), ("until", request.until, "<")] where !value.isEmpty {
                guard let date = Timestamp.parse(value) else {
                    throw RPCError.invalidField(field, "\"\(value)\" is not an RFC 3339 date or time")
                }
                conditions.append("time \(op) ?")
                _ = arguments.append(contentsOf: [Timestamp.string(date)])
            }
            if !request.accountID.isEmpty {
                conditions.append("(principal = ? OR act_as = ?)")
                _ = arguments.append(contentsOf: ["account:\(request.accountID)", request.accountID])
            }
            if !request.method.isEmpty {
                if request.method.hasSuffix("/") || request.method.hasSuffix(".") {
                    conditions.append("substr(method, 1, ?) = ?")
                    _ = arguments.append(contentsOf: [request.method.count, request.method])
                } else {
                    conditions.append("method = ?")
                    _ = arguments.append(contentsOf: [request.method])
                }
            }
            _ = arguments.append(contentsOf: [size + 1])
            let sql = "SELECT * FROM identity_audit WHERE \(conditions.joined(separator: " AND ")) ORDER BY sequence LIMIT ?"
            let values = arguments
            return try await identity.store.pool.read { db in
                let rows = try Row.fetchAll(db, sql: sql, arguments: values)
                var reply = Coi_Identity_V1_ListAuditReply()
                reply.entries = rows.prefix(size).map { row in
                    Coi_Identity_V1_AuditEntry.with {
                        $0.sequence = row["sequence"]
                        $0.time = row["time"]
                        $0.principal = row["principal"]
                        $0.actAs = row["act_as"]
                        $0.method = row["method"]
                        $0.target = row["target"]
                        $0.outcome = row["outcome"]
                        $0.requestID = row["request_id"]
                        $0.hash = row["hash"]
                        $0.reason = row["reason"]
                    }
                }
                if rows.count > size, let last = reply.entries.last { reply.nextPageToken = PageToken.encode(last.sequence) }
                return reply
            }
        }
        router.unary(Coi_Identity_V1_Audit.Method.verify, .read("identity.audit.read")) { (request: Coi_Identity_V1_VerifyAuditRequest, _) -> Coi_Identity_V1_VerifyAuditReply in
            if request.anchorSequence == 0 && request.anchorHash.isEmpty { return try await identity.audit.verify() }
            guard request.anchorSequence > 0 else { throw RPCError.invalidField("anchor_sequence", "must be a sequence number (1 or more)") }
            guard request.anchorHash.count == 64, request.anchorHash.allSatisfy(\.isHexDigit) else {
                throw RPCError.invalidField("anchor_hash", "must be 64 hex digits, as Head or the journal gave it")
            }
            return try await identity.audit.verify(anchor: (sequence: request.anchorSequence, hash: request.anchorHash.lowercased()))
        }
        router.unary(Coi_Identity_V1_Audit.Method.head, .read("identity.audit.read")) { (_: Coi_Identity_V1_AuditHeadRequest, _) -> Coi_Identity_V1_AuditHeadReply in
            try await identity.audit.head()
        }
    }
}
