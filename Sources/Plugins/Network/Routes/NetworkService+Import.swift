import Foundation
import COIPluginKit
import COIProto
import GRDB

extension NetworkService {
    func registerImport(_ router: inout Router) {
        router.unary(Coi_Network_V1_Members.Method.import, .write("network.manage")) { (request: Coi_Network_V1_ImportMembersRequest, context) in
            let caller = context.principal.caller
            context.audit.target = "members:import"
            do {
                return try await self.write { db in
                    let reply = try Self.importMembers(db, request.csv, caller: caller)
                    // A dry run did everything a real one does; throwing rolls it back.
                    if request.dryRun { throw DryRun(reply: reply) }
                    return reply
                }
            } catch let dry as DryRun {
                var reply = dry.reply
                reply.dryRun = true
                return reply
            }
        }
    }

    private struct DryRun: Error {
        var reply: Coi_Network_V1_ImportMembersReply
    }

    /// Applies a member list in the caller's transaction: all rows, or (by throwing) none.
    static func importMembers(_ db: Database, _ csv: Data, caller: String) throws -> Coi_Network_V1_ImportMembersReply {
        let parsed: (rows: [MemberImport.Row], columnNumber: [String: Int])
        let parties = try partyLetters(db)
        do {
            parsed = try MemberImport.parse(csv, parties: parties)
        } catch {
            throw rejection(error.list)
        }
        var problems: [MemberImport.Problem] = []
        func problem(_ row: MemberImport.Row, _ column: String, _ message: String) {
            problems.append(.init(line: row.line, column: parsed.columnNumber[column] ?? 0, columnName: column, message: message))
        }
        var reply = Coi_Network_V1_ImportMembersReply()
        let now = Timestamp.now()
        for row in parsed.rows {
            reply.rows += 1
            let found = try AccountNames.persons(db, email: row.email)
            if found.count > 1 {
                problem(row, "email", "\(row.email) belongs to \(found.count) accounts (\(found.joined(separator: ", ")))")
                continue
            }
            let byRef = row.ref.isEmpty ? nil : try MemberRecord.fetch(db, "WHERE m.ref = ?", [row.ref]).first
            if let byRef, byRef.accountID != found.first {
                problem(row, "ref", "\(row.ref) is member \(byRef.id), whose account has another e-mail than \(row.email)")
                continue
            }
            let accountID: String
            if let existing = found.first {
                accountID = existing
            } else {
                accountID = try AccountNames.createPerson(db, fullName: row.fullName, email: row.email, createdBy: caller, now: now)
                reply.accountsCreated += 1
            }
            let status: Coi_Network_V1_MemberStatus = switch row.status {
            case .invited: .invited
            case .active: .active
            case .ceased: .ceased
            }
            if let member = try byRef ?? MemberRecord.current(db, accountID: accountID) {
                if !member.ref.isEmpty && member.ref != row.ref {
                    problem(row, "ref", "\(row.email) is already member \(member.id) with ref \(member.ref)")
                    continue
                }
                try MemberWrites.update(db, member, ref: row.ref, seat: row.seat, status: status, consent: row.publicConsent, now: now)
                reply.updated += 1
            } else {
                _ = try MemberWrites.insert(db, accountID: accountID, ref: row.ref, seat: row.seat, status: status, consent: row.publicConsent,
                                            by: caller, now: now)
                reply.created += 1
            }
        }
        guard problems.isEmpty else { throw rejection(problems) }
        return reply
    }

    /// INVALID_ARGUMENT listing every problem by line and column; nothing was imported.
    static func rejection(_ problems: [MemberImport.Problem]) -> RPCError {
        let shown = problems.prefix(20)
        let more = problems.count > shown.count ? "; and \(problems.count - shown.count) more" : ""
        return RPCError(.invalidArgument,
                        "import rejected, nothing changed: \(problems.count) problem\(problems.count == 1 ? "" : "s"): "
                        + shown.map(\.description).joined(separator: "; ") + more,
                        reason: "IMPORT_INVALID",
                        fieldViolations: shown.map { .init(field: $0.location, description: $0.message) })
    }
}
