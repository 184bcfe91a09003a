import COIProto
import Crypto
import GRDB

/// Walks the audit chain row by row and collects every problem, so one altered entry is reported
/// as one entry and checking goes on past it: each row is checked against the hash its predecessor
/// has *stored*, so damage does not spread to every later row.
struct ChainCheck {
    let key: SymmetricKey
    let keyID: String
    let anchor: (sequence: Int64, hash: String)?

    private var previous = AuditLog.genesis
    private var expected: Int64 = 1
    /// The key of the current segment: nil before the first marker (plain SHA-256).
    private var segmentKey: SymmetricKey?
    /// False inside a segment keyed with a key other than ours: its hashes cannot be checked.
    private var segmentCheckable = true
    private var keyedFrom: Int64 = 0
    private var anchorSeen = false
    private var checked: Int64 = 0
    private var bad: [Coi_Identity_V1_BadAuditEntry] = []
    private var badCount: Int64 = 0

    init(key: SymmetricKey, keyID: String, anchor: (sequence: Int64, hash: String)?) {
        self.key = key
        self.keyID = keyID
        self.anchor = anchor
    }

    private mutating func report(_ sequence: Int64, _ problem: String) {
        badCount += 1
        if bad.count < AuditLog.maxListedBadEntries {
            bad.append(.with {
                $0.sequence = sequence
                $0.problem = problem
            })
        }
    }

    /// Checks the next row (rows come in sequence order).
    mutating func add(_ row: Row) {
        let sequence: Int64 = row["sequence"]
        let entry = AuditLog.Entry(principal: row["principal"], actAs: row["act_as"], method: row["method"], target: row["target"],
                                   outcome: row["outcome"], requestID: row["request_id"], reason: row["reason"])
        let stored: String = row["hash"]
        checked += 1
        if entry.method == AuditLog.markerMethod {
            if entry.reason == "key_id=\(keyID)" {
                segmentKey = key
                segmentCheckable = true
                keyedFrom = sequence
            } else {
                segmentCheckable = false
                report(sequence, "starts a part of the log keyed with another key (\(entry.reason)); "
                       + "its entries cannot be checked with the current key")
            }
        }
        if sequence > expected {
            report(expected, expected == sequence - 1 ? "entry \(expected) is missing" : "entries \(expected)…\(sequence - 1) are missing")
        } else if sequence < expected {
            report(sequence, "entry \(sequence) is out of order")
        } else if segmentCheckable,
                  AuditLog.hash(previous: previous, sequence: sequence, time: row["time"], entry, key: segmentKey) != stored {
            report(sequence, "entry \(sequence) does not match its hash: it was altered or inserted, or the entry before it was")
        }
        if let anchor, anchor.sequence == sequence {
            anchorSeen = true
            if anchor.hash != stored { report(sequence, "entry \(sequence) does not have the anchor's hash: the log was rewritten") }
        }
        previous = stored
        expected = max(expected, sequence + 1)
    }

    /// The verdict.
    func finish() -> Coi_Identity_V1_VerifyAuditReply {
        var all = self
        if keyedFrom == 0 || !segmentCheckable {
            // coid writes a marker for its key at every start, so a log without one was rewritten.
            all.report(expected, "the newest entries are not keyed with the current key: keyed entries were removed or replaced")
        }
        if let anchor, !anchorSeen {
            all.report(anchor.sequence, "the anchored entry \(anchor.sequence) is missing: the newest entries were removed")
        }
        return .with {
            $0.ok = all.badCount == 0
            // As before bad entries were all listed: `entries` is what verified before the first bad one.
            $0.entries = all.bad.first.map { max(0, min($0.sequence - 1, checked)) } ?? checked
            $0.checked = checked
            $0.badEntries = all.bad
            $0.badCount = all.badCount
            $0.firstBadSequence = all.bad.first?.sequence ?? 0
            $0.problem = all.bad.first?.problem ?? ""
            $0.keyedFrom = keyedFrom
            $0.keyID = keyID
        }
    }
}
