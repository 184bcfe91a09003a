import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB

extension IdentityPlugin {

    func registerTokens(_ router: inout Router) {
        let identity = self.identity
        router.unary(Coi_Identity_V1_Tokens.Method.issue, .write("identity.tokens.manage")) { (request: Coi_Identity_V1_IssueTokenRequest, context) -> Coi_Identity_V1_IssueTokenReply in
            guard request.expiresInSeconds >= 0, request.expiresInSeconds <= 10 * 366 * 86_400 else {
                throw RPCError.invalidField("expires_in_seconds", "must be between 0 (never) and ten years, is \(request.expiresInSeconds)")
            }
            try TextRules.line(request.description_p, field: "description")
            guard request.description_p.count <= 200 else { throw RPCError.invalidField("description", "must be at most 200 characters") }
            let secret = Self.newSecret()
            let id = Identifier.make("tok")
            let now = identity.clock.now()
            let expires = request.expiresInSeconds > 0 ? Timestamp.string(now.addingTimeInterval(Double(request.expiresInSeconds))) : nil
            context.audit.target = "token:\(id)"
            let token = try await identity.store.pool.write { db -> Coi_Identity_V1_Token in
                let account = try AccountRecord.require(db, id: request.accountID, field: "account_id")
                guard account.status == "active" else {
                    throw RPCError(.failedPrecondition, "account \(account.id) is \(account.status); tokens are issued to active accounts only",
                                   reason: "ACCOUNT_NOT_ACTIVE")
                }
                try db.execute(sql: """
                    INSERT INTO identity_tokens (id, account_id, hash, description, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [id, account.id, Data(Identity.hash(secret: secret)), request.description_p, Timestamp.string(now), expires])
                return try Self.tokenMessage(db, id: id)
            }
            return .with {
                $0.token = token
                $0.secret = secret
            }
        }
        // Listing and revoking are self-service: a person sees and revokes their own tokens; anyone
        // else's need identity.tokens.manage.
        router.unary(Coi_Identity_V1_Tokens.Method.list, .authenticated) { (request: Coi_Identity_V1_ListTokensRequest, context) -> Coi_Identity_V1_ListTokensReply in
            var scoped = request
            if !context.principal.holds("identity.tokens.manage") {
                let own = try context.requireAccount().id
                if scoped.accountID.isEmpty { scoped.accountID = own }
                try Self.requireOwn(scoped.accountID, context, permission: "identity.tokens.manage", what: "tokens")
            }
            let request = scoped
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            var sql = "SELECT rowid, * FROM identity_tokens WHERE rowid > ?"
            var arguments: StatementArguments = [after]
            if !request.accountID.isEmpty {
                sql += " AND account_id = ?"
                _ = arguments.append(contentsOf: [request.accountID])
            }
            if !request.includeRevoked { sql += " AND revoked_at IS NULL" }
            sql += " ORDER BY rowid LIMIT ?"
            _ = arguments.append(contentsOf: [size + 1])
            let query = sql
            let values = arguments
            return try await identity.store.pool.read { db in
                if !request.accountID.isEmpty { _ = try AccountRecord.require(db, id: request.accountID, field: "account_id") }
                let rows = try Row.fetchAll(db, sql: query, arguments: values)
                var reply = Coi_Identity_V1_ListTokensReply()
                reply.tokens = rows.prefix(size).map { Self.tokenMessage($0) }
                if rows.count > size, let last = rows.prefix(size).last { reply.nextPageToken = PageToken.encode(last["rowid"]) }
                return reply
            }
        }
        router.unary(Coi_Identity_V1_Tokens.Method.revoke, .authenticatedWrite) { (request: Coi_Identity_V1_RevokeTokenRequest, context) -> Coi_Identity_V1_Token in
            guard !request.id.isEmpty else { throw RPCError.invalidField("id", "is required") }
            context.audit.target = "token:\(request.id)"
            let token = try await identity.store.pool.write { db -> Coi_Identity_V1_Token in
                let owner = try Self.tokenMessage(db, id: request.id).accountID
                if !context.principal.holds("identity.tokens.manage") {
                    try Self.requireOwn(owner, context, permission: "identity.tokens.manage", what: "tokens")
                }
                try db.execute(sql: "UPDATE identity_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                               arguments: [Timestamp.now(), request.id])
                return try Self.tokenMessage(db, id: request.id)
            }
            identity.invalidate()
            return token
        }
    }

    /// PERMISSION_DENIED unless `accountID` is the caller's own account.
    /// - Parameters:
    ///   - accountID: The account whose data is asked for.
    ///   - context: The call.
    ///   - permission: The permission that would allow it for anyone.
    ///   - what: What is asked for, for the message.
    static func requireOwn(_ accountID: String, _ context: RequestContext, permission: String, what: String) throws {
        let own = try context.requireAccount().id
        guard accountID == own else {
            throw RPCError(.permissionDenied, "\(context.principal.permissionSubject) may only see or change its own \(what); \(accountID)'s need permission \(permission)",
                           reason: "PERMISSION_DENIED")
        }
    }

    /// "coi_" and 256 random bits in base64url: long enough that a plain SHA-256 is a safe way to
    /// store it (no salt or slow hash is needed for secrets nobody chose).
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "coi_" + Base64URL.encode(Data(bytes))
    }

    static func tokenMessage(_ db: Database, id: String) throws -> Coi_Identity_V1_Token {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM identity_tokens WHERE id = ?", arguments: [id]) else {
            throw RPCError(.notFound, "no token \(id)", reason: "NOT_FOUND", fieldViolations: [.init(field: "id", description: "no such token")])
        }
        return tokenMessage(row)
    }

    static func tokenMessage(_ row: Row) -> Coi_Identity_V1_Token {
        .with {
            $0.id = row["id"]
            $0.accountID = row["account_id"]
            $0.description_p = row["description"]
            $0.createdAt = row["created_at"]
            $0.expiresAt = row["expires_at"] ?? ""
            $0.lastUsedAt = row["last_used_at"] ?? ""
            $0.revokedAt = row["revoked_at"] ?? ""
        }
    }
}
