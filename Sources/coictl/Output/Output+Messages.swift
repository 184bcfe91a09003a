import SwiftProtobuf

extension Output {
    /// Prints one message: a JSON document with --json, else FIELD/VALUE rows.
    static func show(_ message: some SwiftProtobuf.Message, _ options: GlobalOptions) {
        let value = ProtoJSON.value(message)
        if options.json {
            json(value)
        } else {
            let object = value as? [String: Any] ?? [:]
            table(["FIELD", "VALUE"], object.keys.sorted().map { [$0, cell(object[$0])] })
        }
    }

    /// Prints messages: JSON lines with --json, else a table of the named fields. A column may be
    /// "field:header", e.g. "region_name:region": the proper name shown under a short heading.
    static func list(_ messages: [some SwiftProtobuf.Message], _ options: GlobalOptions, columns: [String]) {
        let values = messages.map(ProtoJSON.value)
        if options.json {
            jsonLines(values)
        } else {
            table(columns.map(columnHeader), values.map { value in
                let object = value as? [String: Any] ?? [:]
                return columns.map { cell(object[columnField($0)]) }
            })
        }
    }

    /// The field of a column spec ("region_name:region" → "region_name").
    static func columnField(_ column: String) -> String { String(column.split(separator: ":").first ?? "") }

    /// The heading of a column spec ("region_name:region" → "REGION").
    static func columnHeader(_ column: String) -> String { String(column.split(separator: ":").last ?? "").uppercased() }

    /// A JSON value as one table cell ("-" when absent or empty).
    static func cell(_ value: Any?) -> String {
        switch value {
        case nil: return "-"
        case let text as String: return text.isEmpty ? "-" : text
        case let list as [Any]:
            if list.isEmpty { return "-" }
            return list.map { item in
                if let object = item as? [String: Any] { return cell(object["name"] ?? object["key"] ?? object["nomination_id"]) }
                return cell(item)
            }.joined(separator: ", ")
        case let object as [String: Any]: return cell(object["id"] ?? object["nomination_id"])
        case let flag as Bool: return flag ? "yes" : "no"
        case let value?: return "\(value)"
        }
    }
}
