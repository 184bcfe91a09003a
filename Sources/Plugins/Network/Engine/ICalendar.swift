public import Foundation

/// RFC 5545 iCalendar for the network's meetings, so members can subscribe in their calendar.
/// Pure text building: escaping (§3.3.11), line folding at 75 octets without splitting a UTF-8
/// character (§3.1) and CRLF line ends.
public enum ICalendar {
    /// One meeting as a calendar event.
    public struct Event: Sendable, Equatable {
        public var uid: String
        public var start: Date
        public var end: Date
        public var stamp: Date
        public var summary: String
        public var location: String
        public var description: String
        public var url: String
        public var sequence: Int
        public var cancelled: Bool

        public init(uid: String, start: Date, end: Date, stamp: Date, summary: String, location: String, description: String,
                    url: String, sequence: Int, cancelled: Bool = false) {
            self.uid = uid
            self.start = start
            self.end = end
            self.stamp = stamp
            self.summary = summary
            self.location = location
            self.description = description
            self.url = url
            self.sequence = sequence
            self.cancelled = cancelled
        }
    }

    /// A whole calendar.
    /// - Parameters:
    ///   - name: The calendar's display name.
    ///   - events: Its events.
    /// - Returns: The iCalendar text with CRLF line ends.
    public static func calendar(name: String, events: [Event]) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Center for Offentlig Innovation//coid network//DA", "CALSCALE:GREGORIAN",
                     "METHOD:PUBLISH", "X-WR-CALNAME:" + text(name)]
        for event in events {
            lines += ["BEGIN:VEVENT", "UID:" + text(event.uid), "DTSTAMP:" + time(event.stamp), "DTSTART:" + time(event.start),
                      "DTEND:" + time(event.end), "SUMMARY:" + text(event.summary), "SEQUENCE:\(event.sequence)",
                      "STATUS:" + (event.cancelled ? "CANCELLED" : "CONFIRMED")]
            if !event.location.isEmpty { lines.append("LOCATION:" + text(event.location)) }
            if !event.description.isEmpty { lines.append("DESCRIPTION:" + text(event.description)) }
            if !event.url.isEmpty { lines.append("URL:" + event.url.filter { !$0.isNewline }) }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A UTC time in the basic format, 20260301T090000Z.
    static func time(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2) + "Z"
    }

    /// A TEXT value: backslash, semicolon and comma escaped, line breaks as \n.
    static func text(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r\n", "\n", "\r": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// Folds a content line so no physical line exceeds 75 octets; continuation lines start with a space.
    static func fold(_ line: String) -> String {
        var result = ""
        var width = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if width + size > 75 {
                result += "\r\n "
                width = 1
            }
            result.unicodeScalars.append(scalar)
            width += size
        }
        return result
    }
}
