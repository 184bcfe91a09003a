import COIPluginKit
import Foundation
import COIProto
import GRDB

extension NetworkService {
    func registerMembers(_ router: inout Router) {
        router.unary(Coi_Network_V1_Members.Method.invite, .write("network.manage")) { (request: Coi_Network_V1_InviteMemberRequest, context) in
            let ref = try Validation.text(request.ref, "ref", limit: 100, required: false)
            let byEmail = request.accountID.isEmpty
            let email = byEmail ? try Validation.email(request.email, "email") : ""
            let fullName = try Validation.text(request.fullName, "full_name", limit: 200, required: false)
            let caller = context.principal.caller
            let member = try await self.write { db -> Coi_Network_V1_Member in
                let seat = try Validation.seat(party: request.party, body: request.body, municipalityCode: request.municipalityCode,
                                               regionCode: request.regionCode, role: request.role, termStart: request.termStart,
                                               termEnd: request.termEnd, parties: try Self.partyLetters(db))
                let now = Timestamp.now()
                var accountID = request.accountID
                if byEmail {
                    let found = try AccountNames.persons(db, email: email)
                    guard found.count <= 1 else {
                        throw RPCError.invalidField("email", "\(email) belongs to \(found.count) accounts (\(found.joined(separator: ", "))); "
                                                    + "invite by account_id")
                    }
                    if let existing = found.first {
                        accountID = existing
                    } else {
                        guard !fullName.isEmpty else {
                            throw RPCError.invalidField("full_name", "is required: no account has e-mail \(email), so one is created")
                        }
                        accountID = try AccountNames.createPerson(db, fullName: fullName, email: email, createdBy: caller, now: now)
                    }
                } else if !(try AccountNames.exists(db, id: accountID, kind: .person, activeOnly: true)) {
                    throw RPCError(.notFound, "no active person account \(accountID)", reason: "NOT_FOUND",
                                   fieldViolations: [.init(field: "account_id", description: "no active person account \(accountID)")])
                }
                try Self.requireFree(db, accountID: accountID, ref: ref, except: nil)
                let id = try MemberWrites.insert(db, accountID: accountID, ref: ref, seat: seat, status: .invited, consent: false,
                                                 by: caller, now: now)
                return try MemberRecord.require(db, id: id).message
            }
            context.audit.target = "member:\(member.id)"
            return member
        }
        router.unary(Coi_Network_V1_Members.Method.accept, .write("network.participate")) { (request: Coi_Network_V1_AcceptInvitationRequest, context) in
            let account = try context.requireAccount()
            context.audit.target = "member:\(request.id)"
            return try await self.write { db in
                let member = try MemberRecord.require(db, id: request.id)
                guard member.accountID == account.id else {
                    throw RPCError(.permissionDenied, "member \(member.id) is someone else's invitation; only the invited person accepts it",
                                   reason: "NOT_YOURS")
                }
                guard member.status == .invited else {
                    throw RPCError(.failedPrecondition, "member \(member.id) is \(member.status.name); only an INVITED member accepts",
                                   reason: "WRONG_STATE")
                }
                try MemberWrites.update(db, member, ref: member.ref, seat: member.seat, status: .active, consent: request.publicConsent,
                                        now: Timestamp.now())
                return try MemberRecord.require(db, id: member.id).message
            }
        }
        router.unary(Coi_Network_V1_Members.Method.get, .read("network.read")) { (request: Coi_Network_V1_GetMemberRequest, context) in
            let manager = Self.isManager(context)
            let own = context.principal.account?.id
            return try await self.read { db in
                let member = try MemberRecord.require(db, id: request.id)
                // Nothing about a member is shown to others unless they are active and consented.
                guard manager || member.accountID == own || (member.status == .active && member.publicConsent) else {
                    throw RPCError(.notFound, "no member \(request.id)", reason: "NOT_FOUND")
                }
                return member.message
            }
        }
        router.unary(Coi_Network_V1_Members.Method.list, .read("network.read")) { (request: Coi_Network_V1_ListMembersRequest, context) in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            let manager = Self.isManager(context)
            let own = context.principal.account?.id ?? ""
            let party = request.party.trimmingCharacters(in: .whitespaces).uppercased()
            return try await self.read { db in
                let records = try MemberRecord.fetch(db, """
                    WHERE m.seq > ? AND (? = 0 OR m.status = ?) AND (? = '' OR m.party = ?) AND (? = 0 OR m.body = ?)
                      AND (? = 0 OR m.region_code = ?) AND (? OR m.account_id = ? OR (m.status = 2 AND m.public_consent = 1))
                    ORDER BY m.seq LIMIT ?
                    """, [after, request.status.rawValue, request.status.rawValue, party, party, request.body.rawValue, request.body.rawValue,
                          request.regionCode, request.regionCode, manager, own, size + 1])
                return Coi_Network_V1_ListMembersReply.with {
                    $0.members = records.prefix(size).map(\.message)
                    if records.count > size, let last = records.prefix(size).last { $0.nextPageToken = PageToken.encode(last.seq) }
                }
            }
        }
        router.unary(Coi_Network_V1_Members.Method.update, .write("network.manage")) { (request: Coi_Network_V1_UpdateMemberRequest, context) in
            let mask = try Validation.mask(request.updateMask, known: ["ref", "party", "body", "municipality_code", "region_code", "role",
                                                                       "term_start", "term_end", "public_consent"])
            let ref = mask.contains("ref") ? try Validation.text(request.ref, "ref", limit: 100, required: false) : nil
            context.audit.target = "member:\(request.id)"
            return try await self.write { db in
                let member = try MemberRecord.require(db, id: request.id)
                try Validation.version(request.version, stored: member.version, what: "member \(member.id)")
                guard member.status != .ceased else {
                    throw RPCError(.failedPrecondition, "member \(member.id) is CEASED and cannot change; invite them again", reason: "WRONG_STATE")
                }
                let old = member.seat
                let seat = try Validation.seat(
                    party: mask.contains("party") ? request.party : old.party,
                    body: mask.contains("body") ? request.body : Coi_Network_V1_Body(rawValue: old.body.rawValue) ?? .unspecified,
                    municipalityCode: mask.contains("municipality_code") ? request.municipalityCode
                        : (mask.contains("body") ? 0 : Int32(old.municipalityCode)),
                    regionCode: mask.contains("region_code") ? request.regionCode
                        : (mask.contains("body") || mask.contains("municipality_code") ? 0 : Int32(old.regionCode)),
                    role: mask.contains("role") ? request.role : old.role,
                    termStart: mask.contains("term_start") ? request.termStart : old.termStart,
                    termEnd: mask.contains("term_end") ? request.termEnd : old.termEnd, parties: try Self.partyLetters(db))
                if let ref { try Self.requireFree(db, accountID: nil, ref: ref, except: member.id) }
                try MemberWrites.update(db, member, ref: ref ?? member.ref, seat: seat, status: member.status,
                                        consent: mask.contains("public_consent") ? request.publicConsent : member.publicConsent,
                                        now: Timestamp.now())
                return try MemberRecord.require(db, id: member.id).message
            }
        }
        router.unary(Coi_Network_V1_Members.Method.cease, .write("network.participate")) { (request: Coi_Network_V1_CeaseMemberRequest, context) in
            let manager = Self.isManager(context)
            let own = context.principal.account?.id
            context.audit.target = "member:\(request.id)"
            context.audit.reason = request.reason
            return try await self.write { db in
                let member = try MemberRecord.require(db, id: request.id)
                guard manager || member.accountID == own else {
                    throw RPCError(.permissionDenied, "only the member or a network manager ends a membership", reason: "NOT_YOURS")
                }
                guard member.status != .ceased else {
                    throw RPCError(.failedPrecondition, "member \(member.id) is already CEASED (\(member.ceasedAt))", reason: "WRONG_STATE")
                }
                try MemberWrites.update(db, member, ref: member.ref, seat: member.seat, status: .ceased, consent: member.publicConsent,
                                        now: Timestamp.now())
                return try MemberRecord.require(db, id: member.id).message
            }
        }
        router.unary(Coi_Network_V1_Members.Method.setConsent, .write("network.participate")) { (request: Coi_Network_V1_SetConsentRequest, context) in
            let account = try context.requireAccount()
            context.audit.target = "member:\(request.id)"
            return try await self.write { db in
                let member = try MemberRecord.require(db, id: request.id)
                guard member.accountID == account.id else {
                    throw RPCError(.permissionDenied, "only the member themself gives or withdraws consent to public listing", reason: "NOT_YOURS")
                }
                try MemberWrites.update(db, member, ref: member.ref, seat: member.seat, status: member.status, consent: request.publicConsent,
                                        now: Timestamp.now())
                return try MemberRecord.require(db, id: member.id).message
            }
        }
    }

    /// Whether the caller manages the network (sees every member and every column).
    static func isManager(_ context: RequestContext) -> Bool {
        context.principal.can("network.manage", in: "network")
    }

    /// ALREADY_EXISTS when the account already has a current membership or the ref is taken.
    static func requireFree(_ db: Database, accountID: String?, ref: String, except: String?) throws {
        if let accountID, let other = try MemberRecord.current(db, accountID: accountID), other.id != except {
            throw RPCError(.alreadyExists, "\(other.fullName) is already a member (\(other.id), \(other.status.name))", reason: "ALREADY_EXISTS")
        }
        if !ref.isEmpty, let other = try String.cachedOne(db, sql: "SELECT id FROM network_members WHERE ref = ? AND id IS NOT ?",
                                                          arguments: [ref, except]) {
            throw RPCError(.alreadyExists, "ref \(ref) is already member \(other)", reason: "ALREADY_EXISTS",
                           fieldViolations: [.init(field: "ref", description: "already member \(other)")])
        }
    }
}

extension Coi_Network_V1_MemberStatus {
    /// The name as in the .proto.
    var name: String {
        switch self {
        case .invited: "INVITED"
        case .active: "ACTIVE"
        case .ceased: "CEASED"
        default: "UNSPECIFIED"
        }
    }
}
