import COIPluginKit
import COIProto
import Crypto
import Foundation
import GRDB

/// The append-only, hash-chained audit log in identity_audit.
///
/// Each entry's hash is SHA-256 over the previous entry's hash and this entry's fields, so editing,
/// deleting or reordering any row breaks the chain from there on; `verify` finds the first break.
///
/// Appends are group-committed: while one transaction is being written, entries from other calls
/// queue up and the next transaction writes them all, so concurrent writers share fsyncs instead of
/// paying one each. An append is never cancelled: the call it records has already changed state,
/// so the entry is written even when the caller's connection closes meanwhile.
final class AuditLog: Sendable {
    let store: Store
    /// The kit's group-commit writer, which never cancels a queued write.
    private let writer: GroupCommitWriter

    init(store: Store) {
        self.store = store
        self.writer = GroupCommitWriter(pool: store.pool)
    }

    /// One entry to append.
    struct Entry: Sendable {
        var principal: String
        var actAs: String
        var method: String
        var target: String
        var outcome: String
        var requestID: String
        var reason: String = ""
    }

    static let genesis = String(repeating: "0", count: 64)

    static func hash(previous: String, sequence: Int64, time: String, _ entry: Entry) -> String {
        let fields = [String(sequence), time, entry.principal, entry.actAs, entry.method, entry.target, entry.outcome, entry.requestID,
                      entry.reason]
        let text = previous + "\n" + fields.joined(separator: "\u{1F}")
        return ContentHash.sha256Hex(text)
    }

    /// Appends an entry; returns once it is committed, even if the calling task is cancelled meanwhile.
    func append(_ entry: Entry) async throws {
        try await writer.write { db in try Self.append(entry, in: db) }
    }

    /// Appends an entry inside the caller's transaction.
    static func append(_ entry: Entry, in db: Database) throws {
        let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM identity_audit ORDER BY sequence DESC LIMIT 1")
        let sequence: Int64 = (last?["sequence"] ?? 0) + 1
        let previous: String = last?["hash"] ?? genesis
        let time = Timestamp.now()
        try db.execute(sql: """
            INSERT INTO identity_audit (sequence, time, principal, act_as, method, target, outcome, request_id, reason, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [sequence, time, entry.principal, entry.actAs, entry.method, entry.target, entry.outcome,
                             entry.requestID, entry.reason, hash(previous: previous, sequence: sequence, time: time, entry)])
    }

    /// Recomputes the chain.
    /// - Returns: The verdict, with the first bad entry if any.
    func verify() async throws -> Coi_Identity_V1_VerifyAuditReply {
        try await store.pool.read { db in
            var previous = Self.genesis
            var expected: Int64 = 1
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM identity_audit ORDER BY sequence")
            while let row = try rows.next() {
                let sequence: Int64 = row["sequence"]
                let entry = Entry(principal: row["principal"], actAs: row["act_as"], method: row["method"], target: row["target"],
                                  outcome: row["outcome"], requestID: row["request_id"], reason: row["reason"])
                let stored: String = row["hash"]
                var problem: String?
                if sequence != expected {
                    problem = sequence > expected ? "entries \(expected)…\(sequence - 1) are missing" : "sequence \(sequence) is out of order"
                } else if Self.hash(previous: previous, sequence: sequence, time: row["time"], entry) != stored {
                    problem = "entry \(sequence) does not match its hash: it was altered, or an earlier entry was"
                }
                if let problem {
                    return .with {
                        $0.ok = false
                        $0.entries = expected - 1
                        $0.firstBadSequence = min(sequence, expected)
                        $0.problem = problem
                    }
                }
                previous = stored
                expected += 1
            }
            return .with {
                $0.ok = true
                $0.entries = expected - 1
            }
        }
    }
}
