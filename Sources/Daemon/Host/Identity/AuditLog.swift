import COIPluginKit
import COIProto
import Crypto
import Foundation
import GRDB

/// The append-only, hash-chained audit log in identity_audit.
///
/// Each entry's hash is HMAC-SHA256, under a key kept outside the database (`AuditKey`), over the
/// previous entry's hash and this entry's fields. Without the key nobody can recompute the chain
/// after editing, inserting or deleting rows, so `verify` finds such edits — every bad entry, not
/// just the first. Entries written before coid had a key are plain SHA-256 (anyone can recompute
/// those); the keyed part starts at a marker entry (method `markerMethod`, reason `key_id=…`), and
/// a new marker starts a new keyed part whenever coid starts with a different key. Removing the
/// newest entries still leaves a valid shorter chain: only an anchor (`head`, kept elsewhere)
/// reveals that.
///
/// Appends are group-committed: while one transaction is being written, entries from other calls
/// queue up and the next transaction writes them all, so concurrent writers share fsyncs instead of
/// paying one each. An append is never cancelled: the call it records has already changed state,
/// so the entry is written even when the caller's connection closes meanwhile.
final class AuditLog: Sendable {
    let store: Store
    /// The kit's group-commit writer, which never cancels a queued write.
    private let writer: GroupCommitWriter
    /// The chain key; never stored in the database.
    let key: SymmetricKey
    /// The key's public id: names the key in markers and replies without revealing it.
    let keyID: String

    /// The method recorded by a marker entry, where a segment keyed with one key starts.
    static let markerMethod = "coid/audit.key"
    /// How many bad entries `verify` lists (it counts them all).
    static let maxListedBadEntries = 1_000

    init(store: Store, key: SymmetricKey) {
        self.store = store
        self.writer = GroupCommitWriter(store: store, name: "audit")
        self.key = key
        self.keyID = Self.keyID(key)
    }

    /// The id of a key: the first 16 hex digits of SHA-256 over a label and the key.
    static func keyID(_ key: SymmetricKey) -> String {
        let digest = key.withUnsafeBytes { bytes in SHA256.hash(data: Data("coid audit key id\n".utf8) + Data(bytes)) }
        return String(digest.map { String(format: "%02x", $0) }.joined().prefix(16))
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

    /// The hash of an entry: HMAC-SHA256 under `key`, or plain SHA-256 for entries before the first marker.
    static func hash(previous: String, sequence: Int64, time: String, _ entry: Entry, key: SymmetricKey?) -> String {
        let fields = [String(sequence), time, entry.principal, entry.actAs, entry.method, entry.target, entry.outcome, entry.requestID,
                      entry.reason]
        let text = previous + "\n" + fields.joined(separator: "\u{1F}")
        guard let key else { return ContentHash.sha256Hex(text) }
        return HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }

    /// Appends an entry; returns once it is committed, even if the calling task is cancelled meanwhile.
    func append(_ entry: Entry) async throws {
        try await writer.write { db in try self.append(entry, in: db) }
    }

    /// Appends an entry inside the caller's transaction.
    ///
    /// Control characters in the fields are written as `\u{XX}` first: SQLite would store a value
    /// cut at a NUL (GRDB binds strings as C strings) while the hash covered the whole value, so a
    /// `coi-request-id` holding a NUL, which anyone can send, used to make the entry look tampered with.
    func append(_ entry: Entry, in db: Database) throws {
        let entry = entry.printable
        let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM identity_audit ORDER BY sequence DESC LIMIT 1")
        let sequence: Int64 = (last?["sequence"] ?? 0) + 1
        let previous: String = last?["hash"] ?? Self.genesis
        let time = Timestamp.now()
        try db.execute(sql: """
            INSERT INTO identity_audit (sequence, time, principal, act_as, method, target, outcome, request_id, reason, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [sequence, time, entry.principal, entry.actAs, entry.method, entry.target, entry.outcome,
                             entry.requestID, entry.reason, Self.hash(previous: previous, sequence: sequence, time: time, entry, key: key)])
    }

    /// Starts a keyed segment unless the newest marker already names this key; run at every start
    /// before any call is served. The first start with a key turns an old unkeyed chain into a
    /// keyed one from here on.
    /// - Returns: Whether a marker was written.
    @discardableResult
    func startKeyedSegment() async throws -> Bool {
        try await store.pool.write { db in
            let reason = try String.fetchOne(db, sql: "SELECT reason FROM identity_audit WHERE method = ? ORDER BY sequence DESC LIMIT 1",
                                             arguments: [Self.markerMethod])
            let lastMarkerIsCurrent = reason == "key_id=\(self.keyID)"
            guard !lastMarkerIsCurrent else { return false }
            try self.append(Entry(principal: "coid", actAs: "", method: Self.markerMethod, target: "audit:chain", outcome: "OK",
                                  requestID: "", reason: "key_id=\(self.keyID)"), in: db)
            return true
        }
    }

    /// The newest entry, to be kept elsewhere as an anchor.
    func head() async throws -> Coi_Identity_V1_AuditHeadReply {
        let keyID = self.keyID
        return try await store.pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT sequence, hash, time FROM identity_audit ORDER BY sequence DESC LIMIT 1")
            return .with {
                $0.sequence = row?["sequence"] ?? 0
                $0.hash = row?["hash"] ?? Self.genesis
                $0.time = row?["time"] ?? ""
                $0.keyID = keyID
            }
        }
    }

    /// Recomputes the whole chain and reports every bad entry.
    /// - Parameter anchor: A sequence and hash kept elsewhere, checked too when given.
    /// - Returns: The verdict.
    func verify(anchor: (sequence: Int64, hash: String)? = nil) async throws -> Coi_Identity_V1_VerifyAuditReply {
        let key = self.key
        let keyID = self.keyID
        return try await store.pool.read { db in
            var check = ChainCheck(key: key, keyID: keyID, anchor: anchor)
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM identity_audit ORDER BY sequence")
            while let row = try rows.next() { check.add(row) }
            return check.finish()
        }
    }
}

extension AuditLog.Entry {
    /// The entry with every control character written as `\u{XX}`, so what is stored is what is hashed.
    var printable: Self {
        func clean(_ value: String) -> String {
            guard value.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return value }
            var result = ""
            for scalar in value.unicodeScalars {
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
            return result
        }
        return .init(principal: clean(principal), actAs: clean(actAs), method: clean(method), target: clean(target),
                     outcome: clean(outcome), requestID: clean(requestID), reason: clean(reason))
    }
}
