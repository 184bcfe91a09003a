public import Foundation

/// Reads a member list (CSV) into checked rows, collecting every problem with its line and column
/// so an admin fixes the spreadsheet in one go. Pure: account lookups happen in the plugin.
public enum MemberImport {
    /// The columns, in the documented order (any order is accepted; each exactly once).
    public static let columns = ["ref", "full_name", "email", "party", "body", "municipality_code", "region_code", "role",
                                 "term_start", "term_end", "status", "public_consent"]

    /// One checked row.
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var ref: String
        public var fullName: String
        public var email: String
        public var seat: MemberFields
        public var status: Status
        public var publicConsent: Bool
    }

    public enum Status: String, Sendable, Equatable {
        case invited, active, ceased
    }

    /// A problem at a line (and column, when one is to blame).
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        /// 1-based; 0 when the line as a whole is wrong.
        public var column: Int
        public var columnName: String
        public var message: String

        public init(line: Int, column: Int = 0, columnName: String = "", message: String) {
            self.line = line
            self.column = column
            self.columnName = columnName
            self.message = message
        }

        /// "line 4, column 5 (body)" or "line 4".
        public var location: String { column == 0 ? "line \(line)" : "line \(line), column \(column) (\(columnName))" }
        public var description: String { "\(location): \(message)" }
    }

    /// Parses and checks a file.
    /// - Parameters:
    ///   - data: The file (UTF-8).
    ///   - parties: Known ballot letters.
    /// - Returns: The rows, and each column's 1-based position for later problems.
    /// - Throws: `Problems`, every problem found, in line order.
    public static func parse(_ data: Data, parties: Set<String>) throws(Problems) -> (rows: [Row], columnNumber: [String: Int]) {
        guard let text = String(data: data, encoding: .utf8) else {
            throw Problems(list: [Problem(line: 1, message: "the file is not UTF-8 text")])
        }
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(text)
        } catch let failure as CSVReader.Failure {
            throw Problems(list: [Problem(line: failure.line, message: failure.message)])
        } catch {
            throw Problems(list: [Problem(line: 1, message: "\(error)")])
        }
        guard let header = records.first else { throw Problems(list: [Problem(line: 1, message: "the file is empty; expected a header row")]) }
        var position: [String: Int] = [:]
        var problems: [Problem] = []
        for (index, name) in header.fields.enumerated() {
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            if !columns.contains(key) {
                problems.append(Problem(line: header.line, column: index + 1, columnName: name, message: "unknown column \"\(name)\"; "
                                        + "the header is \(columns.joined(separator: ","))"))
            } else if position[key] != nil {
                problems.append(Problem(line: header.line, column: index + 1, columnName: key, message: "column \(key) appears twice"))
            } else {
                position[key] = index
            }
        }
        for column in columns where position[column] == nil {
            problems.append(Problem(line: header.line, message: "the header lacks column \(column); expected \(columns.joined(separator: ","))"))
        }
        guard problems.isEmpty else { throw Problems(list: problems) }
        if records.count == 1 { throw Problems(list: [Problem(line: header.line, message: "the file has a header but no rows")]) }

        var rows: [Row] = []
        var refs: [String: Int] = [:]
        var emails: [String: Int] = [:]
        for record in records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                problems.append(Problem(line: record.line, message: "has \(record.fields.count) fields; the header has \(header.fields.count)"))
                continue
            }
            func value(_ column: String) -> String { record.fields[position[column]!].trimmingCharacters(in: .whitespaces) }
            func problem(_ column: String, _ message: String) {
                problems.append(Problem(line: record.line, column: position[column]! + 1, columnName: column, message: message))
            }
            let before = problems.count
            let ref = value("ref")
            if ref.count > 100 { problem("ref", "must be at most 100 characters") }
            if !ref.isEmpty, let earlier = refs[ref] { problem("ref", "\(ref) is also on line \(earlier)") }
            if !ref.isEmpty && refs[ref] == nil { refs[ref] = record.line }
            let fullName = value("full_name")
            if fullName.isEmpty { problem("full_name", "is required") } else if fullName.count > 200 { problem("full_name", "must be at most 200 characters") }
            let email = value("email")
            let parts = email.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || email.contains(where: \.isWhitespace) || email.count > 254 {
                problem("email", "\"\(email)\" is not an e-mail address")
            } else if let earlier = emails[email.lowercased()] {
                problem("email", "\(email) is also on line \(earlier)")
            } else {
                emails[email.lowercased()] = record.line
            }
            var codes: [String: Int] = ["municipality_code": 0, "region_code": 0]
            for column in ["municipality_code", "region_code"] where !value(column).isEmpty {
                if let code = Int(value(column)) { codes[column] = code } else { problem(column, "\"\(value(column))\" is not a number") }
            }
            let status = Status(rawValue: value("status").lowercased())
            if status == nil { problem("status", "must be invited, active or ceased, is \"\(value("status"))\"") }
            let consent: Bool? = switch value("public_consent").lowercased() {
            case "yes": true
            case "no": false
            default: nil
            }
            if consent == nil { problem("public_consent", "must be yes or no, is \"\(value("public_consent"))\"") }
            let bodyText = value("body")
            var seat: MemberFields?
            do {
                seat = try MemberFields(party: value("party"), body: Body(slug: bodyText), municipalityCode: codes["municipality_code"]!,
                                        regionCode: codes["region_code"]!, role: value("role"), termStart: value("term_start"),
                                        termEnd: value("term_end"), parties: parties)
            } catch let wrong as MemberFields.Problem {
                problem(wrong.field, wrong.field == "body" ? "must be municipal_council, regional_council or folketing, is \"\(bodyText)\""
                        : wrong.message)
            } catch {
                problem("body", "\(error)")
            }
            if problems.count == before, let seat, let status, let consent {
                rows.append(Row(line: record.line, ref: ref, fullName: fullName, email: email, seat: seat, status: status, publicConsent: consent))
            }
        }
        guard problems.isEmpty else { throw Problems(list: problems) }
        return (rows, position.mapValues { $0 + 1 })
    }

    /// Every problem of an import.
    public struct Problems: Error, Sendable, Equatable {
        public var list: [Problem]
    }
}
