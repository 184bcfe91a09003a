import Foundation
import COIPluginKit
import COIProto
import COIWire

/// Checks of request fields shared by several routes; each failure names the field and why.
enum Validation {
    /// What a text field holds, which decides the rules of `TextRules` it follows.
    enum TextKind {
        /// A title or a person's name: NFC, no control or invisible formatting characters.
        case name
        /// One line: no line breaks, control characters or bidirectional controls.
        case line
        /// Free text, stored exactly as sent.
        case text
    }

    /// A required text field, trimmed, at most `limit` characters, following the rules of its kind.
    static func text(_ value: String, _ field: String, limit: Int, required: Bool = true, as kind: TextKind = .text) throws -> String {
        var trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        switch kind {
        case .name: trimmed = try TextRules.name(trimmed, field: field)
        case .line: try TextRules.line(trimmed, field: field)
        case .text: break
        }
        if required && trimmed.isEmpty { throw RPCError.invalidField(field, "is required") }
        if trimmed.count > limit { throw RPCError.invalidField(field, "must be at most \(limit) characters, is \(trimmed.count)") }
        return trimmed
    }

    /// A phase named in a request.
    static func phase(_ value: Coi_Nominations_V1_Phase, _ field: String) throws -> CampaignPhase {
        guard let phase = CampaignPhase(rawValue: value.rawValue), value != .unspecified else {
            throw RPCError.invalidField(field, "must be one of DRAFT, NOMINATIONS_OPEN, SCREENING, JURY, RESULTS_PUBLISHED, ARCHIVED")
        }
        return phase
    }

    /// A timestamp, normalised to the stored format.
    static func time(_ value: String, _ field: String) throws -> String {
        guard let date = Timestamp.parse(value) else {
            throw RPCError.invalidField(field, "must be an RFC 3339 time such as 2026-03-01T09:00:00Z, is \"\(value)\"")
        }
        return Timestamp.string(date)
    }

    /// A schedule: each phase at most once, later phases at later times.
    static func schedule(_ entries: [Coi_Nominations_V1_PhaseDate]) throws -> [(phase: CampaignPhase, startsAt: String)] {
        var result: [(phase: CampaignPhase, startsAt: String)] = []
        for (index, entry) in entries.enumerated() {
            let phase = try Self.phase(entry.phase, "schedule[\(index)].phase")
            if phase == .draft { throw RPCError.invalidField("schedule[\(index)].phase", "DRAFT is where a campaign starts; it has no date") }
            if result.contains(where: { $0.phase == phase }) {
                throw RPCError.invalidField("schedule[\(index)].phase", "\(phase.name) is scheduled twice")
            }
            result.append((phase, try time(entry.startsAt, "schedule[\(index)].starts_at")))
        }
        result.sort { $0.phase < $1.phase }
        for (earlier, later) in zip(result, result.dropFirst()) where later.startsAt <= earlier.startsAt {
            throw RPCError.invalidField("schedule", "\(later.phase.name) must start after \(earlier.phase.name)")
        }
        return result
    }

    /// A rubric: 1–10 criteria with distinct keys and positive weights; empty = the default.
    static func criteria(_ criteria: [Coi_Nominations_V1_Criterion]) throws -> [Coi_Nominations_V1_Criterion] {
        if criteria.isEmpty { return CampaignRecord.defaultCriteria }
        guard criteria.count <= 10 else { throw RPCError.invalidField("criteria", "at most 10 criteria, got \(criteria.count)") }
        var keys = Set<String>()
        return try criteria.enumerated().map { index, criterion in
            let key = try text(criterion.key, "criteria[\(index)].key", limit: 40, as: .name)
            guard keys.insert(key).inserted else { throw RPCError.invalidField("criteria[\(index)].key", "\"\(key)\" appears twice") }
            guard criterion.weight > 0, criterion.weight <= 100, criterion.weight.isFinite else {
                throw RPCError.invalidField("criteria[\(index)].weight", "must be above 0 and at most 100, is \(criterion.weight)")
            }
            return CampaignRecord.criterion(key, try text(criterion.name.isEmpty ? key : criterion.name, "criteria[\(index)].name", limit: 200, as: .name),
                                            criterion.weight)
        }
    }

    /// A region as typed (code, slug or name in any spelling), or "" for none; returns its code (0 for none).
    static func region(_ text: String, _ field: String) throws -> Int {
        try Denmark.requireRegion(text, field: field)?.code ?? 0
    }

    /// Rejects an update mask naming unknown fields, or none.
    static func mask(_ mask: [String], known: [String]) throws -> Set<String> {
        guard !mask.isEmpty else { throw RPCError.invalidField("update_mask", "name at least one field to change") }
        for (index, field) in mask.enumerated() where !known.contains(field) {
            throw RPCError.invalidField("update_mask[\(index)]", "\"\(field)\" cannot be changed; use one of \(known.joined(separator: ", "))")
        }
        return Set(mask)
    }

    /// Fails with ABORTED when the caller's version is not the stored one.
    static func version(_ given: Int64, stored: Int64, what: String) throws {
        guard given == stored else {
            throw RPCError(.aborted, "\(what) changed since you read it (version \(stored), you sent \(given)); read it again and retry",
                           reason: "VERSION_MISMATCH")
        }
    }
}
