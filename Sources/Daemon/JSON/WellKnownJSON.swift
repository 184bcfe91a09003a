/// The proto3 JSON forms of the well-known types that are not plain objects: timestamps as RFC 3339,
/// durations as "1.5s", field masks as "a.b,c", wrappers as their value, Struct/Value/ListValue as
/// free-form JSON and Any with "@type".
enum WellKnownJSON {
    static let timestamp = "google.protobuf.Timestamp"
    static let duration = "google.protobuf.Duration"
    static let fieldMask = "google.protobuf.FieldMask"
    static let structType = "google.protobuf.Struct"
    static let value = "google.protobuf.Value"
    static let listValue = "google.protobuf.ListValue"
    static let any = "google.protobuf.Any"
    static let empty = "google.protobuf.Empty"

    /// The wrapper types and the kind of their `value` field (number 1).
    static let wrappers: [String: FieldDescriptor.Kind] = [
        "google.protobuf.DoubleValue": .double, "google.protobuf.FloatValue": .float,
        "google.protobuf.Int64Value": .int64, "google.protobuf.UInt64Value": .uint64,
        "google.protobuf.Int32Value": .int32, "google.protobuf.UInt32Value": .uint32,
        "google.protobuf.BoolValue": .bool, "google.protobuf.StringValue": .string,
        "google.protobuf.BytesValue": .bytes,
    ]

    /// Whether a type has a JSON form other than an object of its fields (inside an Any, such a
    /// value goes under "value").
    static func isSpecial(_ type: String) -> Bool {
        [timestamp, duration, fieldMask, structType, value, listValue, any].contains(type) || wrappers[type] != nil
    }

    /// The `value` field of a wrapper type.
    static func wrapperField(_ kind: FieldDescriptor.Kind) -> FieldDescriptor {
        FieldDescriptor(name: "value", number: 1, kind: kind)
    }

    // MARK: - Timestamp

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range RFC 3339 can write.
    static let minTimestampSeconds: Int64 = -62_135_596_800
    static let maxTimestampSeconds: Int64 = 253_402_300_799

    /// Formats a timestamp as RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits.
    static func formatTimestamp(seconds: Int64, nanos: Int32) -> String? {
        guard (minTimestampSeconds...maxTimestampSeconds).contains(seconds), (0..<1_000_000_000).contains(nanos) else { return nil }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + fraction(nanos) + "Z"
    }

    /// Parses RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    static func parseTimestamp(_ text: String) -> (seconds: Int64, nanos: Int32)? {
        let chars = Array(text.utf8)
        var index = 0
        func number(_ count: Int) -> Int64? {
            guard index + count <= chars.count else { return nil }
            var value: Int64 = 0
            for char in chars[index..<index + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(char) else { return nil }
                value = value * 10 + Int64(char - UInt8(ascii: "0"))
            }
            index += count
            return value
        }
        func expect(_ options: String) -> Bool {
            guard index < chars.count, options.utf8.contains(chars[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2), expect("Tt "),
              let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60, second < 60
        else { return nil }
        var nanos: Int64 = 0
        if expect(".") {
            var digits = 0
            while index < chars.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(chars[index]) {
                guard digits < 9 else { return nil }
                nanos = nanos * 10 + Int64(chars[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<9 { nanos *= 10 }
        }
        var offset: Int64 = 0
        if expect("Zz") {
        } else if index < chars.count, chars[index] == UInt8(ascii: "+") || chars[index] == UInt8(ascii: "-") {
            let sign: Int64 = chars[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2), expect(":"), let minutes = number(2), hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard index == chars.count else { return nil }
        let seconds = days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        guard (minTimestampSeconds...maxTimestampSeconds).contains(seconds) else { return nil }
        return (seconds, Int32(nanos))
    }

    // MARK: - Duration

    /// ±10 000 years, the range of google.protobuf.Duration.
    static let maxDurationSeconds: Int64 = 315_576_000_000

    /// Formats a duration as seconds with an "s" suffix and 0, 3, 6 or 9 fractional digits, e.g. "-1.500s".
    static func formatDuration(seconds: Int64, nanos: Int32) -> String? {
        guard abs(seconds) <= maxDurationSeconds, abs(nanos) < 1_000_000_000,
              seconds == 0 || nanos == 0 || (seconds < 0) == (nanos < 0) else { return nil }
        let negative = seconds < 0 || nanos < 0
        return (negative ? "-" : "") + String(abs(seconds)) + fraction(abs(nanos)) + "s"
    }

    /// Parses "1.5s", "-0.001s", "30s".
    static func parseDuration(_ text: String) -> (seconds: Int64, nanos: Int32)? {
        guard text.hasSuffix("s") else { return nil }
        var body = Substring(text.dropLast())
        let negative = body.hasPrefix("-")
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), let seconds = Int64(whole),
              seconds <= maxDurationSeconds else { return nil }
        var nanos: Int32 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCIIDigit), let value = Int32(digits) else { return nil }
            nanos = value
            for _ in digits.count..<9 { nanos *= 10 }
        }
        return negative ? (-seconds, -nanos) : (seconds, nanos)
    }

    // MARK: - FieldMask

    /// Joins field-mask paths as JSON: lowerCamelCase, comma-separated.
    static func formatFieldMask(_ paths: [String]) -> String {
        paths.map { $0.split(separator: ".", omittingEmptySubsequences: false).map { FieldDescriptor.lowerCamelCase(String($0)) }
            .joined(separator: ".") }.joined(separator: ",")
    }

    /// Splits a JSON field mask into snake_case paths.
    static func parseFieldMask(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: ",", omittingEmptySubsequences: false).map { path in
            var snake = ""
            for character in path {
                if character.isUppercase {
                    snake += "_" + character.lowercased()
                } else {
                    snake.append(character)
                }
            }
            return snake
        }
    }

    // MARK: - Helpers

    private static func fraction(_ nanos: Int32) -> String {
        if nanos == 0 { return "" }
        if nanos % 1_000_000 == 0 { return "." + pad(Int64(nanos / 1_000_000), 3) }
        if nanos % 1000 == 0 { return "." + pad(Int64(nanos / 1000), 6) }
        return "." + pad(Int64(nanos), 9)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
