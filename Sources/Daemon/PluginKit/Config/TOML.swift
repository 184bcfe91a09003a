/// A TOML 1.0 parser for config files.
///
/// Covers what config files use: comments, bare/quoted/dotted keys, `[table]` and
/// `[[array.of.tables]]` headers, all string forms, integers (decimal, hex, octal, binary),
/// floats, booleans, date-times (kept as text), arrays and inline tables. Errors carry line,
/// column and the key path.
public enum TOML {
    /// Parses a document.
    /// - Parameter text: The TOML text.
    /// - Returns: The root table.
    /// - Throws: `TOMLError` at the first problem.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var parser = Parser(Array(text.unicodeScalars))
        return try parser.document()
    }
}

private struct Parser {
    let s: [Unicode.Scalar]
    var i = 0
    var line = 1
    var lineStart = 0
    var root = TOMLTable()
    /// Path of the current [table] header.
    var current: [String] = []
    /// Tables defined by a header or by dotted keys, so redefinitions can be caught.
    var defined: Set<[String]> = []
    /// Tables created implicitly (as parents) that a later header may still define.
    var implicit: Set<[String]> = []
    /// Inline tables and static arrays, which are sealed.
    var sealed: Set<[String]> = []

    init(_ s: [Unicode.Scalar]) { self.s = s }

    var peek: Unicode.Scalar? { i < s.count ? s[i] : nil }
    func peek(_ k: Int) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    func fail(_ message: String, key: [String]? = nil) -> TOMLError {
        TOMLError(line: line, column: i - lineStart + 1, key: key.map(render), message: message)
    }

    func render(_ path: [String]) -> String {
        path.map { k in k.unicodeScalars.allSatisfy(isBare) && !k.isEmpty ? k : "\"\(k)\"" }.joined(separator: ".")
    }

    func isBare(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
    }

    mutating func advance() {
        if s[i] == "\n" {
            line += 1
            lineStart = i + 1
        }
        i += 1
    }

    mutating func skipSpaces() {
        while let c = peek, c == " " || c == "\t" { i += 1 }
    }

    /// Skips spaces, comments and newlines (inside arrays).
    mutating func skipBlank() throws(TOMLError) {
        while let c = peek {
            if c == " " || c == "\t" || c == "\n" { advance() }
            else if c == "\r" && peek(1) == "\n" { i += 1 }
            else if c == "#" { try comment() }
            else { return }
        }
    }

    mutating func comment() throws(TOMLError) {
        while let c = peek, c != "\n" {
            if c == "\r" && peek(1) == "\n" { return }
            if (c.value < 0x20 && c != "\t") || c.value == 0x7f { throw fail("control character in comment") }
            i += 1
        }
    }

    /// After a key/value or header: only spaces and a comment may follow on the line.
    mutating func endOfLine() throws(TOMLError) {
        skipSpaces()
        if peek == "#" { try comment() }
        guard let c = peek else { return }
        if c == "\n" { advance(); return }
        if c == "\r" && peek(1) == "\n" { i += 1; advance(); return }
        throw fail("unexpected \"\(c)\" after the value; expected a newline or a comment")
    }

    mutating func document() throws(TOMLError) -> TOMLTable {
        while true {
            try skipBlank()
            guard let c = peek else { break }
            if c == "[" {
                if peek(1) == "[" { try arrayTableHeader() } else { try tableHeader() }
            } else {
                try keyValue(into: current)
            }
            try endOfLine()
        }
        return root
    }

    mutating func key() throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            guard let c = peek else { throw fail("expected a key") }
            if c == "\"" { parts.append(try basicString()) }
            else if c == "'" { parts.append(try literalString()) }
            else if isBare(c) {
                var k = ""
                while let c = peek, isBare(c) { k.unicodeScalars.append(c); i += 1 }
                parts.append(k)
            } else { throw fail("expected a key, found \"\(c)\"") }
            skipSpaces()
            if peek == "." { i += 1 } else { return parts }
        }
    }

    mutating func tableHeader() throws(TOMLError) {
        i += 1
        let path = try key()
        guard peek == "]" else { throw fail("expected ] to close the table header", key: path) }
        i += 1
        if defined.contains(path) && !implicit.contains(path) {
            throw fail("table defined twice", key: path)
        }
        try ensureTable(path, defining: true)
        defined.insert(path)
        implicit.remove(path)
        current = path
    }

    mutating func arrayTableHeader() throws(TOMLError) {
        i += 2
        let path = try key()
        guard peek == "]", peek(1) == "]" else { throw fail("expected ]] to close the array-of-tables header", key: path) }
        i += 2
        try ensureTable(Array(path.dropLast()), defining: false)
        var table = root
        root = TOMLTable()
        defer { root = table }
        try Self.modify(&table, Array(path.dropLast()), notTable: fail("not a table", key: path)) { (table: inout TOMLTable) throws(TOMLError) in
            switch table[path.last!] {
            case nil: table[path.last!] = .array([.table(TOMLTable())])
            case .array(var items)? where !sealed.contains(path):
                items.append(.table(TOMLTable()))
                table[path.last!] = .array(items)
            default: throw fail("key already holds a value that is not an array of tables", key: path)
            }
        }
        // Tables below a new array element are new.
        defined = defined.filter { !($0.starts(with: path) && $0.count > path.count) }
        current = path
    }

    /// Walks to (creating) the table at `path`; the last element of an array of tables is used.
    mutating func ensureTable(_ path: [String], defining: Bool) throws(TOMLError) {
        for depth in 0..<path.count {
            let prefix = Array(path[0...depth])
            let parent = Array(path[0..<depth])
            let name = path[depth]
            var tree = root
            root = TOMLTable()
            defer { root = tree }
            try Self.modify(&tree, parent, notTable: fail("not a table", key: parent)) { (table: inout TOMLTable) throws(TOMLError) in
                switch table[name] {
                case nil:
                    table[name] = .table(TOMLTable())
                    if depth < path.count - 1 || !defining { implicit.insert(prefix) }
                case .table?:
                    if sealed.contains(prefix) { throw fail("inline table cannot be extended", key: prefix) }
                case .array(let items)? where items.last.map({ if case .table = $0 { true } else { false } }) ?? false:
                    if sealed.contains(prefix) { throw fail("static array cannot be extended", key: prefix) }
                case let other?:
                    throw fail("key already holds \(other.typeName), not a table", key: prefix)
                }
            }
        }
    }

    /// Applies `change` to the table at `path` (inside arrays of tables, to their last element).
    static func modify(_ table: inout TOMLTable, _ path: [String], notTable: TOMLError,
                       _ change: (inout TOMLTable) throws(TOMLError) -> Void) throws(TOMLError) {
        func walk(_ table: inout TOMLTable, _ rest: ArraySlice<String>) throws(TOMLError) {
            guard let name = rest.first else { return try change(&table) }
            switch table[name] {
            case .table(var inner)?:
                table[name] = nil
                defer { table[name] = .table(inner) }
                try walk(&inner, rest.dropFirst())
            case .array(var items)?:
                guard case .table(var inner)? = items.last else { throw notTable }
                defer {
                    items[items.count - 1] = .table(inner)
                    table[name] = .array(items)
                }
                try walk(&inner, rest.dropFirst())
            default:
                throw notTable
            }
        }
        try walk(&table, path[...])
    }

    mutating func keyValue(into base: [String]) throws(TOMLError) {
        let k = try key()
        let full = base + k
        guard peek == "=" else { throw fail("expected = after the key", key: full) }
        i += 1
        skipSpaces()
        let v = try value(path: full)
        if k.count > 1 {
            let parentPath = base + k.dropLast()
            if defined.contains(parentPath) && !implicit.contains(parentPath) && !parentPath.starts(with: current) {
                throw fail("table defined twice", key: parentPath)
            }
            try ensureTable(parentPath, defining: false)
            for depth in base.count..<(full.count - 1) { defined.insert(Array(full[0...depth])) }
        }
        let parentPath = Array(full.dropLast())
        var table = root
        root = TOMLTable()
        defer { root = table }
        try Self.modify(&table, parentPath, notTable: fail("not a table", key: parentPath)) { (table: inout TOMLTable) throws(TOMLError) in
            if table[full.last!] != nil { throw fail("duplicate key", key: full) }
            table[full.last!] = v
        }
    }

    mutating func value(path: [String]) throws(TOMLError) -> TOMLValue {
        guard let c = peek else { throw fail("expected a value", key: path) }
        switch c {
        case "\"":
            if peek(1) == "\"" && peek(2) == "\"" { return .string(try multilineBasic()) }
            return .string(try basicString())
        case "'":
            if peek(1) == "'" && peek(2) == "'" { return .string(try multilineLiteral()) }
            return .string(try literalString())
        case "[": return try array(path: path)
        case "{": return try inlineTable(path: path)
        case "t", "f":
            if match("true") { return .boolean(true) }
            if match("false") { return .boolean(false) }
            throw fail("invalid value", key: path)
        default:
            return try numberOrDate(path: path)
        }
    }

    mutating func match(_ word: String) -> Bool {
        let w = Array(word.unicodeScalars)
        guard i + w.count <= s.count, Array(s[i..<i + w.count]) == w else { return false }
        if i + w.count < s.count, isBare(s[i + w.count]) { return false }
        i += w.count
        return true
    }

    mutating func numberOrDate(path: [String]) throws(TOMLError) -> TOMLValue {
        var token = ""
        while let c = peek, isBare(c) || c == "+" || c == "." || c == ":" || (c == " " && isDateTimeSpace(token)) {
            token.unicodeScalars.append(c)
            i += 1
        }
        guard !token.isEmpty else { throw fail("expected a value, found \"\(peek.map(String.init) ?? "end of file")\"", key: path) }
        if token.contains(":") || (token.count >= 10 && token.dropFirst(4).first == "-" && token.first!.isASCII && ("0"..."9").contains(token.unicodeScalars.first!)) {
            return .datetime(token)
        }
        let sign: Int64 = token.hasPrefix("-") ? -1 : 1
        var body = token
        if body.hasPrefix("+") || body.hasPrefix("-") { body.removeFirst() }
        switch body {
        case "inf": return .float(Double(sign) * .infinity)
        case "nan": return .float(.nan)
        default: break
        }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where body.hasPrefix(prefix) {
            guard sign == 1, !token.hasPrefix("+") else { throw fail("a \(prefix) integer cannot have a sign", key: path) }
            let digits = String(body.dropFirst(2))
            guard validUnderscores(digits), let n = Int64(digits.replacingOccurrences(of: "_", with: ""), radix: radix) else {
                throw fail("invalid or out-of-range integer \(token)", key: path)
            }
            return .integer(n)
        }
        guard validUnderscores(body) else { throw fail("invalid number \(token)", key: path) }
        let clean = token.replacingOccurrences(of: "_", with: "")
        let digits = body.replacingOccurrences(of: "_", with: "")
        if digits.count > 1 && digits.hasPrefix("0") && !digits.hasPrefix("0.") && !digits.hasPrefix("0e") && !digits.hasPrefix("0E") {
            throw fail("leading zeros are not allowed in \(token)", key: path)
        }
        if digits.allSatisfy(\.isNumber) {
            guard let n = Int64(clean) else { throw fail("integer \(token) is out of range (64-bit)", key: path) }
            return .integer(n)
        }
        if let d = Double(clean), digits.first?.isNumber == true, digits.last?.isNumber == true, !digits.contains(".e"), !digits.contains(".E") {
            return .float(d)
        }
        throw fail("invalid value \(token)", key: path)
    }

    func isDateTimeSpace(_ token: String) -> Bool {
        // "1979-05-27 07:32:00": a space may separate date and time.
        token.count == 10 && token.dropFirst(4).first == "-" && peek(1).map { ("0"..."9").contains($0) } == true
    }

    func validUnderscores(_ digits: String) -> Bool {
        !digits.hasPrefix("_") && !digits.hasSuffix("_") && !digits.contains("__")
    }

    mutating func basicString() throws(TOMLError) -> String {
        i += 1
        var out = ""
        while true {
            guard let c = peek, c != "\n" else { throw fail("unterminated string") }
            i += 1
            if c == "\"" { return out }
            if c == "\\" { out.unicodeScalars.append(try escape()) }
            else if (c.value < 0x20 && c != "\t") || c.value == 0x7f { throw fail("control character in string") }
            else { out.unicodeScalars.append(c) }
        }
    }

    mutating func escape() throws(TOMLError) -> Unicode.Scalar {
        guard let c = peek else { throw fail("unterminated escape") }
        i += 1
        switch c {
        case "b": return "\u{08}"
        case "t": return "\t"
        case "n": return "\n"
        case "f": return "\u{0C}"
        case "r": return "\r"
        case "e": return "\u{1B}"
        case "\"": return "\""
        case "\\": return "\\"
        case "u", "U":
            let count = c == "u" ? 4 : 8
            guard i + count <= s.count else { throw fail("short unicode escape") }
            let hex = String(String.UnicodeScalarView(s[i..<i + count]))
            i += count
            guard let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else { throw fail("invalid unicode escape \\\(c)\(hex)") }
            return scalar
        default:
            throw fail("invalid escape \\\(c)")
        }
    }

    mutating func literalString() throws(TOMLError) -> String {
        i += 1
        var out = ""
        while true {
            guard let c = peek, c != "\n" else { throw fail("unterminated literal string") }
            i += 1
            if c == "'" { return out }
            out.unicodeScalars.append(c)
        }
    }

    mutating func multilineBasic() throws(TOMLError) -> String {
        i += 3
        if peek == "\n" { advance() } else if peek == "\r" && peek(1) == "\n" { i += 1; advance() }
        var out = ""
        while true {
            guard let c = peek else { throw fail("unterminated multi-line string") }
            if c == "\"" && peek(1) == "\"" && peek(2) == "\"" {
                i += 3
                // Up to two extra quotes belong to the content.
                var extra = 0
                while peek == "\"" && extra < 2 { out += "\""; i += 1; extra += 1 }
                return out
            }
            if c == "\\" {
                i += 1
                // Line-ending backslash: trim the newline and following whitespace.
                var j = i
                while j < s.count, s[j] == " " || s[j] == "\t" { j += 1 }
                if j < s.count, s[j] == "\n" || s[j] == "\r" {
                    i = j
                    while let w = peek, w == " " || w == "\t" || w == "\n" || w == "\r" { advance() }
                    continue
                }
                out.unicodeScalars.append(try escape())
                continue
            }
            out.unicodeScalars.append(c)
            advance()
        }
    }

    mutating func multilineLiteral() throws(TOMLError) -> String {
        i += 3
        if peek == "\n" { advance() } else if peek == "\r" && peek(1) == "\n" { i += 1; advance() }
        var out = ""
        while true {
            guard let c = peek else { throw fail("unterminated multi-line literal string") }
            if c == "'" && peek(1) == "'" && peek(2) == "'" {
                i += 3
                var extra = 0
                while peek == "'" && extra < 2 { out += "'"; i += 1; extra += 1 }
                return out
            }
            out.unicodeScalars.append(c)
            advance()
        }
    }

    mutating func array(path: [String]) throws(TOMLError) -> TOMLValue {
        i += 1
        var items: [TOMLValue] = []
        while true {
            try skipBlank()
            if peek == "]" { i += 1; return .array(items) }
            items.append(try value(path: path))
            try skipBlank()
            if peek == "," { i += 1; continue }
            if peek == "]" { i += 1; return .array(items) }
            throw fail("expected , or ] in array", key: path)
        }
    }

    mutating func inlineTable(path: [String]) throws(TOMLError) -> TOMLValue {
        i += 1
        // Parse into a scratch parser state rooted at the inline table.
        let savedRoot = root, savedDefined = defined, savedImplicit = implicit
        root = TOMLTable()
        defined = []
        implicit = []
        defer {
            defined = savedDefined
            implicit = savedImplicit
        }
        skipSpaces()
        if peek == "}" {
            i += 1
            root = savedRoot
            sealed.insert(path)
            return .table(TOMLTable())
        }
        while true {
            skipSpaces()
            do { try keyValue(into: []) } catch { root = savedRoot; throw TOMLError(line: error.line, column: error.column, key: error.key.map { render(path) + "." + $0 }, message: error.message) }
            skipSpaces()
            if peek == "," { i += 1; continue }
            if peek == "}" { i += 1; break }
            root = savedRoot
            throw fail("expected , or } in inline table", key: path)
        }
        let table = root
        root = savedRoot
        sealed.insert(path)
        return .table(table)
    }
}
