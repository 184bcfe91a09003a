import COIProto

/// A juror's spreadsheet of score sheets, as Danish Excel and other tools save it.
///
/// One sheet per line: the nomination id, then one score per rubric criterion, optionally a
/// comment. Fields are separated by commas, or by semicolons (Danish Excel's "CSV", where the comma
/// is the decimal sign): the first line that has a semicolon outside quotes decides. Fields may be
/// quoted as RFC 4180 says. A first line that does not start with a nomination id is a header row;
/// a header column called comment or kommentar holds the comment. Scores are whole numbers 1–5,
/// written "4", "4.0" or (with semicolons) "4,0". A UTF-8 byte order mark, CRLF line ends, blank
/// lines and empty trailing fields (a spreadsheet's unused columns) are ignored.
struct ScoreFile {
    /// A problem at a place in the file.
    struct Problem: Error, Equatable {
        var line: Int
        /// 1-based field number; 0 when the whole line is at fault.
        var column: Int
        var message: String

        /// "line 3, column 2 (B): …", the column also as the spreadsheet letter.
        var description: String {
            column == 0 ? "line \(line): \(message)" : "line \(line), column \(column) (\(ScoreFile.letter(column))): \(message)"
        }
    }

    /// One parsed sheet with the line it came from.
    struct Sheet: Equatable {
        var line: Int
        var nominationID: String
        var scores: [Int32]
        var comment: String
    }

    /// What one line looks like, for error messages.
    static let lineFormat = "NOMINATION_ID;SCORE;SCORE;… (or with commas), scores 1–5, an optional header row and comment column"

    /// Parses a file's text.
    /// - Parameter text: The file, decoded.
    /// - Returns: The sheets, in file order.
    /// - Throws: `Problem` naming the line and column of the first fault.
    static func parse(_ text: String) throws -> [Sheet] {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let records = try tokenize(body)
        guard let first = records.first else { throw Problem(line: 1, column: 0, message: "the file holds no score sheets") }
        var commentColumn: Int?
        var data = records[...]
        if !first.fields[0].value.hasPrefix("nom_") {
            // A header row: nobody's nomination id. Its names are for people, except the comment column.
            commentColumn = first.fields.firstIndex { ["comment", "kommentar", "comments", "kommentarer"].contains($0.value.lowercased()) }
            if commentColumn == 0 { throw Problem(line: first.line, column: 1, message: "the first column is the nomination id, not the comment") }
            data = data.dropFirst()
        }
        var sheets: [Sheet] = []
        for record in data {
            var fields = record.fields
            // Spreadsheets pad rows with separators for unused columns.
            while let last = fields.last, last.value.isEmpty, fields.count > 1, commentColumn.map({ fields.count - 1 > $0 }) ?? true {
                fields.removeLast()
            }
            let id = fields[0].value
            guard id.hasPrefix("nom_"), id.count > 4, !id.contains(where: \.isWhitespace) else {
                throw Problem(line: record.line, column: 1, message: id.isEmpty ? "the nomination id is missing"
                              : "\"\(id)\" is not a nomination id (nom_…); each line is \(lineFormat)")
            }
            var scores: [Int32] = []
            var comment = ""
            for (index, field) in fields.enumerated().dropFirst() {
                if index == commentColumn {
                    comment = field.value
                    continue
                }
                scores.append(try score(field.value, line: record.line, column: index + 1, decimalComma: record.semicolons))
            }
            guard !scores.isEmpty else {
                throw Problem(line: record.line, column: 0, message: "no scores after the nomination id; each line is \(lineFormat)")
            }
            sheets.append(Sheet(line: record.line, nominationID: id, scores: scores, comment: comment))
        }
        guard !sheets.isEmpty else { throw Problem(line: records.last!.line, column: 0, message: "the file holds a header but no score sheets") }
        return sheets
    }

    /// The spreadsheet letter of a 1-based column: 1 → A, 27 → AA.
    static func letter(_ column: Int) -> String {
        var number = column
        var letters = ""
        while number > 0 {
            let remainder = (number - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            number = (number - 1) / 26
        }
        return letters
    }

    private static func score(_ text: String, line: Int, column: Int, decimalComma: Bool) throws -> Int32 {
        var written = text
        if decimalComma { written = written.replacingOccurrences(of: ",", with: ".") }
        guard !written.isEmpty else { throw Problem(line: line, column: column, message: "the score is empty; give 1–5") }
        guard let value = Double(written), value.isFinite else {
            throw Problem(line: line, column: column, message: "\"\(text)\" is not a score; give a whole number 1–5")
        }
        guard value == value.rounded() else {
            throw Problem(line: line, column: column, message: "\(text) is not a whole number; scores are 1, 2, 3, 4 or 5")
        }
        guard (1...5).contains(value) else {
            throw Problem(line: line, column: column, message: "\(text) is outside 1–5")
        }
        return Int32(value)
    }

    private struct Field {
        var value: String
    }

    private struct Record {
        var line: Int
        var fields: [Field]
        var semicolons: Bool
    }

    /// The separator: a semicolon if the first line that is not blank has one outside quotes, else a comma.
    private static func separator(_ characters: [Character]) -> Character {
        var quoted = false
        var seen = false
        for character in characters {
            if character == "\"" { quoted.toggle() }
            if quoted { continue }
            if character == ";" { return ";" }
            if character == "\n" || character == "\r\n" || character == "\r" {
                if seen { return "," }
            } else if !character.isWhitespace {
                seen = true
            }
        }
        return ","
    }

    /// Splits the text into records of trimmed fields, RFC 4180 quoting, with the line each starts on.
    private static func tokenize(_ text: String) throws -> [Record] {
        var characters = Array(text)
        let separator = separator(characters)
        characters.append("\n")
        var records: [Record] = []
        var fields: [Field] = []
        var field = ""
        var quoted = false
        var wasQuoted = false
        var line = 1
        var recordLine = 1
        var index = 0
        func endField() {
            fields.append(Field(value: wasQuoted ? field : field.trimmingCharacters(in: .whitespaces)))
            field = ""
            wasQuoted = false
        }
        while index < characters.count {
            let character = characters[index]
            index += 1
            let newline = character == "\n" || character == "\r\n" || character == "\r"
            if quoted {
                if character == "\"" {
                    if characters[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if newline { line += 1 }
                    field.append(character)
                }
                continue
            }
            if character == "\"" && field.trimmingCharacters(in: .whitespaces).isEmpty {
                quoted = true
                wasQuoted = true
                field = ""
            } else if character == separator {
                endField()
            } else if newline {
                endField()
                // Blank lines, and the empty rows spreadsheets write (";;;;"), hold no sheet.
                if !fields.allSatisfy({ $0.value.isEmpty }) {
                    records.append(Record(line: recordLine, fields: fields, semicolons: separator == ";"))
                }
                fields = []
                line += 1
                recordLine = line
            } else {
                field.append(character)
            }
        }
        if quoted { throw Problem(line: recordLine, column: fields.count + 1, message: "a quoted field is not closed (a \" is missing)") }
        return records
    }
}
