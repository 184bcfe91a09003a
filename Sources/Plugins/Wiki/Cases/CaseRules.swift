import COIPluginKit
import COIProto
import COIWire
import Foundation

/// Validation and three-way merging of a case page's structured fields.
enum CaseRules {
    static let maxTextLength = 20_000
    static let textFields = ["effect", "process", "conditions", "documentation", "contact"]

    static func levelName(_ level: Coi_Wiki_V1_CaseLevel) -> String {
        switch level {
        case .state: "state"
        case .region: "region"
        case .municipality: "municipality"
        default: ""
        }
    }

    /// Checks and normalises fields: the level decides which place codes are required, codes must
    /// exist in the reference data, the region follows from a municipality, the sector is lower-case.
    /// - Parameter fields: The fields as sent.
    /// - Returns: The normalised fields.
    /// - Throws: INVALID_ARGUMENT naming the field.
    static func validate(_ fields: Coi_Wiki_V1_CaseFields) throws -> Coi_Wiki_V1_CaseFields {
        var result = fields
        switch fields.level {
        case .state:
            guard fields.municipalityCode == 0, fields.regionCode == 0 else {
                throw RPCError.invalidField("case_fields.level", "STATE cases have no region or municipality; use REGION or MUNICIPALITY")
            }
        case .region:
            guard fields.municipalityCode == 0 else {
                throw RPCError.invalidField("case_fields.municipality_code", "must be 0 for a REGION case; use level MUNICIPALITY")
            }
            guard Denmark.region(code: Int(fields.regionCode)) != nil else {
                throw RPCError.invalidField("case_fields.region_code",
                                            "\(fields.regionCode) is not a Danish region code (1081–1085)")
            }
        case .municipality:
            guard let municipality = Denmark.municipality(code: Int(fields.municipalityCode)) else {
                throw RPCError.invalidField("case_fields.municipality_code",
                                            "\(fields.municipalityCode) is not an official Danish municipality code (e.g. 101 København, 751 Aarhus)")
            }
            if fields.regionCode != 0, Int(fields.regionCode) != municipality.regionCode {
                throw RPCError.invalidField("case_fields.region_code",
                                            "\(fields.regionCode) is not the region of \(municipality.name) (\(municipality.regionCode)); leave it 0")
            }
            result.regionCode = Int32(municipality.regionCode)
        default:
            throw RPCError.invalidField("case_fields.level", "must be STATE, REGION or MUNICIPALITY")
        }
        result.sector = try TextRules.name(fields.sector.trimmingCharacters(in: .whitespacesAndNewlines), field: "case_fields.sector").lowercased()
        guard !result.sector.isEmpty, result.sector.count <= 100 else {
            throw RPCError.invalidField("case_fields.sector", "must be 1–100 characters, e.g. \"health\" or \"education\"")
        }
        for (name, value) in zip(textFields, [fields.effect, fields.process, fields.conditions, fields.documentation, fields.contact])
        where value.count > maxTextLength {
            throw RPCError.invalidField("case_fields.\(name)", "must be at most \(maxTextLength) characters")
        }
        return result
    }

    /// Merges fields field by field: a field only one side changed takes that side's value; one
    /// both changed differently is a conflict.
    /// - Parameters:
    ///   - base: The fields of the base revision.
    ///   - ours: The fields the save sends.
    ///   - theirs: The fields of the latest revision.
    /// - Returns: The merged fields and the conflicting fields' hunks.
    static func merge(base: Coi_Wiki_V1_CaseFields, ours: Coi_Wiki_V1_CaseFields,
                      theirs: Coi_Wiki_V1_CaseFields) -> (Coi_Wiki_V1_CaseFields, [Coi_Wiki_V1_ConflictHunk]) {
        var result = theirs
        var conflicts: [Coi_Wiki_V1_ConflictHunk] = []
        func field<V: Equatable>(_ name: String, _ key: WritableKeyPath<Coi_Wiki_V1_CaseFields, V>, _ show: (V) -> String) {
            let b = base[keyPath: key], o = ours[keyPath: key], t = theirs[keyPath: key]
            if o == b || o == t { return }
            if t == b {
                result[keyPath: key] = o
                return
            }
            conflicts.append(.with {
                $0.field = "case_fields.\(name)"
                $0.baseLines = [show(b)]
                $0.yourLines = [show(o)]
                $0.theirLines = [show(t)]
            })
        }
        field("level", \.level) { levelName($0) }
        field("municipality_code", \.municipalityCode) { "\($0)" }
        field("region_code", \.regionCode) { "\($0)" }
        field("sector", \.sector) { $0 }
        field("effect", \.effect) { $0 }
        field("process", \.process) { $0 }
        field("conditions", \.conditions) { $0 }
        field("documentation", \.documentation) { $0 }
        field("contact", \.contact) { $0 }
        return (result, conflicts)
    }

    /// The names of the case fields, in `CaseFields` order, as masks and diffs use them.
    static let fieldNames = ["level", "municipality_code", "region_code", "sector"] + textFields

    /// The fields that differ between two sets of case fields, as text, in `CaseFields` order.
    /// - Parameters:
    ///   - old: The older fields (empty fields for none).
    ///   - new: The newer fields.
    /// - Returns: One change per differing field.
    static func changes(from old: Coi_Wiki_V1_CaseFields, to new: Coi_Wiki_V1_CaseFields) -> [Coi_Wiki_V1_FieldChange] {
        zip(fieldNames, zip(values(old), values(new))).compactMap { name, pair in
            pair.0 == pair.1 ? nil : .with {
                $0.field = name
                $0.from = pair.0
                $0.to = pair.1
            }
        }
    }

    /// Each field as text: "" for an unset level or a zero code, so "no value" reads the same everywhere.
    static func values(_ fields: Coi_Wiki_V1_CaseFields) -> [String] {
        [levelName(fields.level), fields.municipalityCode == 0 ? "" : "\(fields.municipalityCode)",
         fields.regionCode == 0 ? "" : "\(fields.regionCode)", fields.sector, fields.effect, fields.process, fields.conditions,
         fields.documentation, fields.contact]
    }

    /// Applies a save's case field mask: the fields named take `given`'s values, the others keep
    /// `base`'s. A new level of STATE or REGION drops the place codes it has no use for unless the
    /// mask names them too, so `--level region --region 1085` on a municipality case just works.
    /// - Parameters:
    ///   - mask: Field names from `SaveRequest.case_field_mask`.
    ///   - given: The fields sent.
    ///   - base: The base revision's fields (nil when it has none).
    /// - Returns: The fields to validate and save.
    /// - Throws: INVALID_ARGUMENT naming an unknown or repeated field.
    static func apply(mask: [String], given: Coi_Wiki_V1_CaseFields, base: Coi_Wiki_V1_CaseFields?) throws -> Coi_Wiki_V1_CaseFields {
        var seen = Set<String>()
        for (index, name) in mask.enumerated() {
            guard fieldNames.contains(name) else {
                throw RPCError.invalidField("case_field_mask[\(index)]", "\"\(name)\" is not a case field; use one of \(fieldNames.joined(separator: ", "))")
            }
            guard seen.insert(name).inserted else { throw RPCError.invalidField("case_field_mask[\(index)]", "names \(name) twice") }
        }
        var result = base ?? .init()
        for name in mask {
            switch name {
            case "level": result.level = given.level
            case "municipality_code": result.municipalityCode = given.municipalityCode
            case "region_code": result.regionCode = given.regionCode
            case "sector": result.sector = given.sector
            case "effect": result.effect = given.effect
            case "process": result.process = given.process
            case "conditions": result.conditions = given.conditions
            case "documentation": result.documentation = given.documentation
            default: result.contact = given.contact
            }
        }
        if seen.contains("level") {
            if given.level != .municipality, !seen.contains("municipality_code") { result.municipalityCode = 0 }
            if given.level == .state, !seen.contains("region_code") { result.regionCode = 0 }
            // A municipality's region follows from it (validate fills it in), so a stale one is dropped.
            if given.level == .municipality, !seen.contains("region_code") { result.regionCode = 0 }
        }
        if seen.contains("municipality_code"), !seen.contains("region_code"), result.level == .municipality { result.regionCode = 0 }
        return result
    }
}
