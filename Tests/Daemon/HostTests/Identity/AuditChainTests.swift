import COIPluginKit
import COIProto
import COIWire
import Crypto
import Foundation
import GRDB
import Testing
@testable import COIHost

/// Issue 10, item 2: the audit chain is keyed, survives NUL in what callers send, reports every
/// bad entry, starts its keyed part at a marker after an old unkeyed chain, and an anchor reveals
/// removed newest entries.
@Suite struct AuditChainTests {
    func entry(_ n: Int, requestID: String = "", target: String = "", reason: String = "") -> AuditLog.Entry {
        AuditLog.Entry(principal: "unix:uid=0(root)", actAs: "", method: "coi.test.v1.T/Write\(n)", target: target, outcome: "OK",
                       requestID: requestID, reason: reason)
    }

    /// Rewrites one row as someone with the database file but without the key would: the field
    /// changed and the hash recomputed the old, unkeyed way.
    func forge(_ store: Store, sequence: Int64, target: String, key: SymmetricKey? = nil, rehash: Bool = true) async throws {
        try await store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS identity_audit_no_update")
            let row = try Row.fetchOne(db, sql: "SELECT * FROM identity_audit WHERE sequence = ?", arguments: [sequence])!
            let previous = try String.fetchOne(db, sql: "SELECT hash FROM identity_audit WHERE sequence = ?", arguments: [sequence - 1])
                ?? AuditLog.genesis
            let forged = AuditLog.Entry(principal: row["principal"], actAs: row["act_as"], method: row["method"], target: target,
                                        outcome: row["outcome"], requestID: row["request_id"], reason: row["reason"])
            let hash = rehash ? AuditLog.hash(previous: previous, sequence: sequence, time: row["time"], forged, key: key) : row["hash"]
            try db.execute(sql: "UPDATE identity_audit SET target = ?, hash = ? WHERE sequence = ?", arguments: [target, hash, sequence])
        }
    }

    @Test func nulInRequestIDTargetOrReasonDoesNotBreakTheChain() async throws {
        let fixture = try await IdentityFixture()
        try await fixture.identity.audit.append(entry(1, requestID: "req\u{0}evil", target: "page:\u{0}x", reason: "why\u{0}\u{1B}[2J"))
        try await fixture.identity.audit.append(entry(2))
        let verdict = try await fixture.identity.audit.verify()
        #expect(verdict.ok, "\(verdict.badEntries)")
        let list: Coi_Identity_V1_ListAuditReply = try await fixture.call(Coi_Identity_V1_Audit.Method.list, Coi_Identity_V1_ListAuditRequest())
        let written = try #require(list.entries.first { $0.method == "coi.test.v1.T/Write1" })
        #expect(written.requestID == "req\\u{0}evil" && written.target == "page:\\u{0}x" && written.reason == "why\\u{0}\\u{1B}[2J")
    }

    @Test func recomputingHashesWithoutTheKeyIsFoundAndEveryBadEntryIsListed() async throws {
        let fixture = try await IdentityFixture()
        for n in 1...6 { try await fixture.identity.audit.append(entry(n)) }
        // Marker = 1, entries 2…7. Edit 3 without touching its hash; forge 5 with a recomputed
        // hash (unkeyed, as anyone could before) and 7 with a wrong key.
        try await forge(fixture.store, sequence: 3, target: "account:someone_else", rehash: false)
        try await forge(fixture.store, sequence: 5, target: "account:another")
        try await forge(fixture.store, sequence: 7, target: "account:third", key: SymmetricKey(size: .bits256))
        let verdict = try await fixture.identity.audit.verify()
        #expect(!verdict.ok)
        // 6 is reported too: its hash covers 5's original hash, which the forger replaced.
        #expect(verdict.badEntries.map(\.sequence) == [3, 5, 6, 7], "\(verdict.badEntries)")
        #expect(verdict.badCount == 4 && verdict.checked == 7 && verdict.entries == 2 && verdict.firstBadSequence == 3)
    }

    @Test func anOldUnkeyedChainGetsAKeyedPartFromAMarker() async throws {
        let fixture = try await IdentityFixture()
        let store = fixture.store
        // An unkeyed chain as coid wrote it before keys: three plain SHA-256 entries.
        try await store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER identity_audit_no_delete")
            try db.execute(sql: "DELETE FROM identity_audit")
            var previous = AuditLog.genesis
            for sequence in Int64(1)...3 {
                let old = entry(Int(sequence))
                let time = Timestamp.now()
                let hash = AuditLog.hash(previous: previous, sequence: sequence, time: time, old, key: nil)
                try db.execute(sql: """
                    INSERT INTO identity_audit (sequence, time, principal, act_as, method, target, outcome, request_id, reason, hash)
                    VALUES (?, ?, ?, '', ?, '', 'OK', '', '', ?)
                    """, arguments: [sequence, time, old.principal, old.method, hash])
                previous = hash
            }
        }
        let key = SymmetricKey(size: .bits256)
        let log = AuditLog(store: store, key: key)
        let unkeyed = try await log.verify()
        #expect(unkeyed.badEntries.map(\.problem).contains(where: { $0.contains("not keyed") }))
        #expect(try await log.startKeyedSegment())
        #expect(try await log.startKeyedSegment() == false)
        try await log.append(entry(9))
        var verdict = try await log.verify()
        #expect(verdict.ok && verdict.keyedFrom == 4 && verdict.entries == 5 && verdict.checked == 5, "\(verdict)")

        // Unkeyed entries can still be rewritten undetected (documented); keyed ones cannot.
        try await forge(store, sequence: 5, target: "x")
        verdict = try await log.verify()
        #expect(verdict.badEntries.map(\.sequence) == [5])

        // A new key starts a new part; the old part cannot be checked with it and says so.
        let rotated = AuditLog(store: store, key: SymmetricKey(size: .bits256))
        #expect(try await rotated.startKeyedSegment())
        verdict = try await rotated.verify()
        #expect(verdict.keyedFrom == 6 && verdict.badEntries.first?.sequence == 4)
    }

    @Test func anAnchorRevealsRemovedNewestEntries() async throws {
        let fixture = try await IdentityFixture()
        for n in 1...3 { try await fixture.identity.audit.append(entry(n)) }
        let head: Coi_Identity_V1_AuditHeadReply = try await fixture.call(Coi_Identity_V1_Audit.Method.head, Coi_Identity_V1_AuditHeadRequest())
        #expect(head.sequence == 4 && head.hash.count == 64 && head.keyID == fixture.identity.audit.keyID)
        try await fixture.store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER identity_audit_no_delete")
            try db.execute(sql: "DELETE FROM identity_audit WHERE sequence >= 3")
        }
        // Without the anchor the shorter chain looks whole; with it, the removal shows.
        #expect(try await fixture.identity.audit.verify().ok)
        let anchored: Coi_Identity_V1_VerifyAuditReply = try await fixture.call(Coi_Identity_V1_Audit.Method.verify, Coi_Identity_V1_VerifyAuditRequest.with {
            $0.anchorSequence = head.sequence
            $0.anchorHash = head.hash
        })
        #expect(!anchored.ok && anchored.badEntries.map(\.sequence) == [4])
        await #expect(throws: RPCError.self) {
            let _: Coi_Identity_V1_VerifyAuditReply = try await fixture.call(Coi_Identity_V1_Audit.Method.verify, Coi_Identity_V1_VerifyAuditRequest.with {
                $0.anchorSequence = 2
                $0.anchorHash = "not hex"
            })
        }
    }

    @Test func theKeyIsCreatedPrivateOnceAndCredentialsComeFirst() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coid-key-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let first = try AuditKey.load(stateDirectory: dir, environment: [:])
        #expect(first.created && first.path == dir + "/credentials/audit-key")
        let mode = try FileManager.default.attributesOfItem(atPath: first.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let again = try AuditKey.load(stateDirectory: dir, environment: [:])
        #expect(!again.created && AuditLog.keyID(again.key) == AuditLog.keyID(first.key))

        let credentials = dir + "/creds"
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        try (String(repeating: "ab", count: 32) + "\n").write(toFile: credentials + "/audit-key", atomically: true, encoding: .utf8)
        let systemd = try AuditKey.load(stateDirectory: dir, environment: ["CREDENTIALS_DIRECTORY": credentials])
        #expect(systemd.path == credentials + "/audit-key" && AuditLog.keyID(systemd.key) == AuditLog.keyID(SymmetricKey(data: [UInt8](repeating: 0xAB, count: 32))))
        try "short".write(toFile: credentials + "/audit-key", atomically: true, encoding: .utf8)
        #expect(throws: AuditKey.Unusable.self) { try AuditKey.load(stateDirectory: dir, environment: ["CREDENTIALS_DIRECTORY": credentials]) }
    }
}
