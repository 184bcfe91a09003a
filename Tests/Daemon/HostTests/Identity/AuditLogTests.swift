import COIPluginKit
import COIProto
import COIWire
import GRDB
import Testing
@testable import COIHost

@Suite struct AuditLogTests {
    @Test func writesAreChainedAndTamperingIsFound() async throws {
        let fixture = try await IdentityFixture()
        let anna = try await fixture.account("Anna Andersen")
        _ = try await fixture.account("Bo Berg")
        // A denied write is recorded too.
        let token = try await fixture.token(for: anna)
        await #expect(throws: RPCError.self) {
            _ = try await fixture.call(Coi_Identity_V1_Accounts.Method.create, Coi_Identity_V1_CreateAccountRequest.with {
                $0.kind = .person
                $0.fullName = "Not Allowed"
            }, peer: nil, token: token)
        }
        var list = try await fixture.call(Coi_Identity_V1_Audit.Method.list, Coi_Identity_V1_ListAuditRequest())
        // Entry 1 is the marker where the keyed chain starts (written at start).
        #expect(list.entries.first?.method == AuditLog.markerMethod)
        list.entries.removeFirst()
        #expect(list.entries.map(\.sequence) == [2, 3, 4, 5])
        #expect(list.entries[0].method == Coi_Identity_V1_Accounts.Method.create.path)
        #expect(list.entries[0].principal == "unix:uid=0(root)")
        #expect(list.entries[0].target == "account:\(anna)")
        #expect(list.entries[0].outcome == "OK")
        #expect(list.entries[2].method == Coi_Identity_V1_Tokens.Method.issue.path)
        #expect(list.entries[3].principal == "account:\(anna)")
        #expect(list.entries[3].outcome == "PERMISSION_DENIED")
        var verdict = try await fixture.identity.audit.verify()
        #expect(verdict.ok && verdict.entries == 5)

        // SQL cannot change or delete entries…
        await #expect(throws: DatabaseError.self) {
            try await fixture.store.pool.write { db in try db.execute(sql: "UPDATE identity_audit SET target = 'x' WHERE sequence = 3") }
        }
        await #expect(throws: DatabaseError.self) {
            try await fixture.store.pool.write { db in try db.execute(sql: "DELETE FROM identity_audit WHERE sequence = 3") }
        }
        // …and whoever goes around the triggers is caught by the chain.
        try await fixture.store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER identity_audit_no_update")
            try db.execute(sql: "UPDATE identity_audit SET target = 'account:someone_else' WHERE sequence = 3")
        }
        verdict = try await fixture.identity.audit.verify()
        #expect(!verdict.ok && verdict.firstBadSequence == 3)

        let other = try await IdentityFixture()
        _ = try await other.account("C")
        _ = try await other.account("D")
        _ = try await other.account("E")
        try await other.store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER identity_audit_no_delete")
            try db.execute(sql: "DELETE FROM identity_audit WHERE sequence = 3")
        }
        verdict = try await other.identity.audit.verify()
        #expect(!verdict.ok && verdict.firstBadSequence == 3 && verdict.problem.contains("missing"))
    }

    /// Reads that disclose personal data (`Access.audited()`) are on record like writes, with
    /// what they disclosed; other reads are not.
    @Test func readsThatDiscloseAreAuditedAndOtherReadsAreNot() async throws {
        let fixture = try await IdentityFixture()
        let anna = try await fixture.account("Anna Andersen")
        _ = try await fixture.call(Coi_Identity_V1_Accounts.Method.export, Coi_Identity_V1_ExportAccountRequest.with { $0.id = anna })
        _ = try await fixture.call(Coi_Identity_V1_Accounts.Method.whoAmI, Coi_Identity_V1_WhoAmIRequest())
        _ = try await fixture.call(Coi_Barometer_V1_Waves.Method.exportContact, Coi_Barometer_V1_ContactRequest.with { $0.email = "Kontakt@Kommune.dk" })
        let refused = await #expect(throws: RPCError.self) {
            _ = try await fixture.call(Coi_Identity_V1_Accounts.Method.export, Coi_Identity_V1_ExportAccountRequest.with { $0.id = anna },
                                       peer: IdentityFixture.nobody)
        }
        #expect(refused?.code == .unauthenticated || refused?.code == .permissionDenied)
        let list = try await fixture.call(Coi_Identity_V1_Audit.Method.list, Coi_Identity_V1_ListAuditRequest())
        let reads = list.entries.filter { $0.method.hasPrefix("coi.") && !$0.method.hasSuffix("/Create") }.map { "\($0.method) \($0.target) \($0.outcome)" }.sorted()
        #expect(reads == [
            "\(Coi_Barometer_V1_Waves.Method.exportContact.path) contact:sha256:\(ContentHash.sha256Hex("kontakt@kommune.dk")) OK",
            "\(Coi_Identity_V1_Accounts.Method.export.path) account:\(anna) OK",
            "\(Coi_Identity_V1_Accounts.Method.export.path)  \(refused?.code.name ?? "")",
        ].sorted(), "\(list.entries)")
    }

    @Test func listFiltersByAccountMethodAndTime() async throws {
        let fixture = try await IdentityFixture()
        let anna = try await fixture.account("Anna Andersen")
        _ = try await fixture.token(for: anna)
        let byMethod = try await fixture.call(Coi_Identity_V1_Audit.Method.list, Coi_Identity_V1_ListAuditRequest.with { $0.method = "coi.identity.v1.Tokens/" })
        #expect(byMethod.entries.map(\.method) == [Coi_Identity_V1_Tokens.Method.issue.path])
        let future = try await fixture.call(Coi_Identity_V1_Audit.Method.list, Coi_Identity_V1_ListAuditRequest.with { $0.since = "2999-01-01" })
        #expect(future.entries.isEmpty)
        let paged = try await fixture.call(Coi_Identity_V1_Audit.Method.list, Coi_Identity_V1_ListAuditRequest.with { $0.pageSize = 1 })
        #expect(paged.entries.count == 1 && !paged.nextPageToken.isEmpty)
        let next = try await fixture.call(Coi_Identity_V1_Audit.Method.list, Coi_Identity_V1_ListAuditRequest.with {
            $0.pageSize = 1
            $0.pageToken = paged.nextPageToken
        })
        #expect(next.entries.first?.sequence == 2)
        await #expect(throws: RPCError.self) {
            _ = try await fixture.call(Coi_Identity_V1_Audit.Method.list, Coi_Identity_V1_ListAuditRequest.with { $0.since = "yesterday" })
        }
    }
}
