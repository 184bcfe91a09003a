import Foundation
import COIPluginKit
import COIProto
import COIWire

/// Checks of request fields shared by several routes; each failure names the field and why.
enum Validation {
    /// A text field, trimmed, at most `limit` characters.
    static func text(_ value: String, _ field: String, limit: Int, required: Bool = true) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && trimmed.isEmpty { throw RPCError.invalidField(field, "is required") }
        if trimmed.count > limit { throw RPCError.invalidField(field, "must be at most \(limit) characters, is \(trimmed.count)") }
        return trimmed
    }

    /// A date "YYYY-MM-DD", or "" when optional and empty.
    static func date(_ value: String, _ field: String) throws -> CivilDate? {
        if value.isEmpty { return nil }
        guard let date = CivilDate(value) else { throw RPCError.invalidField(field, "must be a date YYYY-MM-DD, is \"\(value)\"") }
        return date
    }

    /// A government level named in a request.
    static func level(_ value: Coi_Placements_V1_Level, _ field: String) throws -> Coi_Placements_V1_Level {
        switch value {
        case .municipal, .regional, .state: return value
        default: throw RPCError.invalidField(field, "must be MUNICIPAL, REGIONAL or STATE")
        }
    }

    /// A municipality code of the reference data.
    static func municipality(_ code: Int32, _ field: String) throws -> Municipality {
        guard let municipality = Denmark.municipality(code: Int(code)) else {
            throw RPCError.invalidField(field, "\(code) is not one of the 98 municipality codes (e.g. 101 København, 751 Aarhus)")
        }
        return municipality
    }

    /// A phase named in a request.
    static func phase(_ value: Coi_Placements_V1_Phase, _ field: String) throws -> SeasonPhase {
        guard value != .unspecified, let phase = SeasonPhase(rawValue: value.rawValue) else {
            throw RPCError.invalidField(field, "must be one of " + SeasonPhase.allCases.map(\.name).joined(separator: ", "))
        }
        return phase
    }
}

extension Coi_Placements_V1_Level {
    /// The lower-case name used in CSV files and reports.
    var csvName: String {
        switch self {
        case .municipal: "municipal"
        case .regional: "regional"
        case .state: "state"
        default: ""
        }
    }

    /// Parses a CSV value as the kit reads levels: the slug or the Danish or English name, any case
    /// ("municipal", "kommune", "Stat").
    init?(csv: String) {
        switch GovernmentLevel(text: csv) {
        case .municipal: self = .municipal
        case .regional: self = .regional
        case .state: self = .state
        case nil: return nil
        }
    }
}
