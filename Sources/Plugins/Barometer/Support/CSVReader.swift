/// Reads RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF line ends) into records, keeping
/// each record's line number so errors can name it.
enum CSVReader {
    /// One record and the line it starts on (1-based).
    struct Record: Sendable {
        var line: Int
        var fields: [String]
    }

    /// Parses a whole file.
    /// - Parameter text: The file's text (a UTF-8 byte order mark is dropped).
    /// - Returns: The records; blank lines are skipped.
    /// - Throws: `CSVReader.Failure` for a quote left open.
    static func parse(_ text: String) throws(Failure) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var index = 0
        func endRecord() {
            fields.append(String(decoding: field, as: UTF8.self))
            field = []
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inQuotes = true
                case UInt8(ascii: ","):
                    fields.append(String(decoding: field, as: UTF8.self))
                    field = []
                case UInt8(ascii: "\r"): break
                case UInt8(ascii: "\n"):
                    endRecord()
                    line += 1
                    recordLine = line
                default: field.append(byte)
                }
            }
            index += 1
        }
        if inQuotes { throw Failure(line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }

    /// A file that is not CSV.
    struct Failure: Error, Sendable {
        var line: Int
        var message: String
    }
}
