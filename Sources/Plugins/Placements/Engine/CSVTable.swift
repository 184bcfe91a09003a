/// A parsed RFC 4180 CSV file with a header row: what the import reads.
///
/// Fields are separated by commas and records by CRLF or LF; a quoted field may hold commas,
/// doubled quotes and line breaks. A UTF-8 byte-order mark is skipped. Every record remembers the
/// line it started on, so errors can name file, line and column.
public struct CSVTable: Sendable {
    /// Why a file could not be read; `line` is 1-based and counts the header.
    public struct ParseError: Error, Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    /// One data record.
    public struct Record: Sendable {
        /// The line the record starts on (the header is line 1).
        public var line: Int
        /// Its fields, as many as the header's columns.
        public var fields: [String]
    }

    /// The header's column names, trimmed.
    public var columns: [String]
    /// The data records, in file order; blank lines are skipped.
    public var records: [Record]

    /// Parses `text`, requiring the header to be exactly `expected` (in that order).
    /// - Throws: `ParseError` for a wrong header, an unterminated quote, or a record with the wrong
    ///   number of fields.
    public init(_ text: String, expected: [String]) throws(ParseError) {
        var rows = try Self.parse(text)
        guard !rows.isEmpty else { throw ParseError(line: 1, message: "the file is empty; the header must be \(expected.joined(separator: ","))") }
        let header = rows.removeFirst()
        columns = header.fields.map { $0.trimmingSpaces }
        guard columns == expected else {
            throw ParseError(line: 1, message: "the header is \"\(columns.joined(separator: ","))\"; it must be \"\(expected.joined(separator: ","))\"")
        }
        records = []
        records.reserveCapacity(rows.count)
        for row in rows {
            if row.fields.count == 1 && row.fields[0].trimmingSpaces.isEmpty { continue }
            guard row.fields.count == columns.count else {
                throw ParseError(line: row.line, message: "has \(row.fields.count) fields; the header has \(columns.count)")
            }
            records.append(row)
        }
    }

    /// Splits text into records of fields.
    private static func parse(_ text: String) throws(ParseError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1, recordLine = 1
        var quoted = false, wasQuoted = false
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            wasQuoted = false
        }
        while true {
            let scalar: Unicode.Scalar
            if let next = pending {
                scalar = next
                pending = nil
            } else if let next = iterator.next() {
                scalar = next
            } else {
                break
            }
            if quoted {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case "\"":
                throw ParseError(line: line, message: "a quote inside an unquoted field (quote the whole field and double the quote)")
            case ",":
                endField()
            case "\r":
                let next = iterator.next()
                if next != "\n" { pending = next }
                fallthrough
            case "\n":
                endField()
                records.append(Record(line: recordLine, fields: fields))
                fields = []
                line += 1
                recordLine = line
            default:
                if wasQuoted { throw ParseError(line: line, message: "text after a closing quote") }
                field.append(scalar)
            }
        }
        if quoted { throw ParseError(line: recordLine, message: "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted {
            endField()
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
