import COIPluginKit
import Foundation

/// A frame CSV checked line by line: `unit_id,name,level,sector,size_class,municipality_code` in any
/// order, plus any further columns kept as auxiliary variables. `contact_name` and `contact_email`,
/// if present, are the workplace's contact person: personal data, kept apart and never a variable.
struct FrameImport: Sendable {
    static let required = ["unit_id", "name", "level", "sector", "size_class", "municipality_code"]
    static let contactColumns: Set<String> = ["contact_name", "contact_email"]

    /// One workplace of the frame.
    struct Row: Sendable {
        var line: Int
        var unitID: String
        var name: String
        var contactName: String
        var contactEmail: String
        /// The values of `variables`, in order.
        var values: [String]
    }

    /// level, sector, size_class, municipality_code, region (derived), then the auxiliary columns in file order.
    var variables: [String]
    var rows: [Row]

    /// Parses and checks a frame; any problem refuses the whole file.
    /// - Parameter data: The CSV bytes.
    /// - Throws: INVALID_ARGUMENT naming the line and column.
    init(_ data: Data) throws {
        guard let text = String(data: data, encoding: .utf8) else {
            throw RPCError.invalidField("data", "the frame is not UTF-8 text")
        }
        let records: [CSVReader.Record]
        do throws(CSVReader.Failure) {
            records = try CSVReader.parse(text)
        } catch {
            throw RPCError.invalidField("data", "line \(error.line): \(error.message)")
        }
        guard let header = records.first else { throw RPCError.invalidField("data", "the frame is empty: it needs a header line") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var column: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if name.isEmpty { throw RPCError.invalidField("data", "line 1, column \(index + 1): empty column name") }
            if column[name] != nil { throw RPCError.invalidField("data", "line 1: column \(name) appears twice") }
            if name == "region" { throw RPCError.invalidField("data", "line 1: column region is derived from municipality_code; leave it out") }
            column[name] = index
        }
        let missing = Self.required.filter { column[$0] == nil }
        if !missing.isEmpty {
            throw RPCError.invalidField("data", "line 1: missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) "
                                        + "(the header needs \(Self.required.joined(separator: ",")))")
        }
        let auxiliary = names.filter { !Self.required.contains($0) && !Self.contactColumns.contains($0) }
        variables = ["level", "sector", "size_class", "municipality_code", "region"] + auxiliary
        var seen: [String: Int] = [:]
        rows = []
        rows.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            let line = record.line
            guard record.fields.count == names.count else {
                throw RPCError.invalidField("data", "line \(line): \(record.fields.count) fields, the header has \(names.count)")
            }
            func value(_ name: String) -> String { column[name].map { record.fields[$0].trimmingCharacters(in: .whitespaces) } ?? "" }
            let unitID = value("unit_id")
            if unitID.isEmpty { throw RPCError.invalidField("data", "line \(line), column unit_id: is empty") }
            if let first = seen[unitID] {
                throw RPCError.invalidField("data", "line \(line), column unit_id: \(unitID) is also on line \(first)")
            }
            seen[unitID] = line
            for name in ["name", "level", "sector", "size_class"] where value(name).isEmpty {
                throw RPCError.invalidField("data", "line \(line), column \(name): is empty")
            }
            let code = value("municipality_code")
            guard let number = Int(code), let municipality = Denmark.municipality(code: number) else {
                throw RPCError.invalidField("data", "line \(line), column municipality_code: \"\(code)\" is not a Danish municipality code")
            }
            let values = [value("level"), value("sector"), value("size_class"), String(municipality.code), String(municipality.region.code)]
                + auxiliary.map(value)
            rows.append(Row(line: line, unitID: unitID, name: value("name"), contactName: value("contact_name"),
                            contactEmail: value("contact_email"), values: values))
        }
        if rows.isEmpty { throw RPCError.invalidField("data", "the frame has a header but no workplaces") }
    }
}
