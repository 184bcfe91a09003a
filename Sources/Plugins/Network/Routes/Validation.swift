import Foundation
import COIPluginKit
import COIProto

/// Checks of request fields shared by several routes; each failure names the field and why.
enum Validation {
    /// A text field, trimmed, at most `limit` characters.
    static func text(_ value: String, _ field: String, limit: Int, required: Bool = true) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && trimmed.isEmpty { throw RPCError.invalidField(field, "is required") }
        if trimmed.count > limit { throw RPCError.invalidField(field, "must be at most \(limit) characters, is \(trimmed.count)") }
        return trimmed
    }

    /// A time, normalised to the stored format.
    static func time(_ value: String, _ field: String) throws -> String {
        guard let date = Timestamp.parse(value) else {
            throw RPCError.invalidField(field, "must be an RFC 3339 time such as 2026-03-01T09:00:00Z, is \"\(value)\"")
        }
        return Timestamp.string(date)
    }

    /// A seat from a request, or INVALID_ARGUMENT naming the field.
    static func seat(party: String, body: Coi_Network_V1_Body, municipalityCode: Int32, regionCode: Int32, role: String,
                     termStart: String, termEnd: String, parties: Set<String>) throws -> MemberFields {
        do {
            return try MemberFields(party: party, body: Body(rawValue: body.rawValue), municipalityCode: Int(municipalityCode),
                                    regionCode: Int(regionCode), role: role, termStart: termStart, termEnd: termEnd, parties: parties)
        } catch let problem as MemberFields.Problem {
            throw RPCError.invalidField(problem.field, problem.message)
        }
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

    /// A plausible e-mail address (the same rule as identity's).
    static func email(_ value: String, _ field: String) throws -> String {
        let email = value.trimmingCharacters(in: .whitespaces)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !email.contains(where: \.isWhitespace), email.count <= 254 else {
            throw RPCError.invalidField(field, "\"\(value)\" is not an e-mail address")
        }
        return email
    }
}
