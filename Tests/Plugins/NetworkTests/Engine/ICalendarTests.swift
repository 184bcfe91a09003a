@testable import COINetwork
import Foundation
import Testing

@Suite struct ICalendarTests {
    @Test func escapesFoldsAndUsesCRLF() {
        let start = Date(timeIntervalSince1970: 1_772_355_600) // 2026-03-01T09:00:00Z
        let text = ICalendar.calendar(name: "Netværk", events: [
            ICalendar.Event(uid: "mtg_1@coi.network", start: start, end: start.addingTimeInterval(7200), stamp: start, summary: "Møde; om, innovation",
                            location: "Rådhuset, Aarhus", description: String(repeating: "æøå ", count: 40) + "\nslut", url: "", sequence: 0),
        ])
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(text.contains("DTSTART:20260301T090000Z\r\n") && text.contains("DTEND:20260301T110000Z\r\n"))
        #expect(text.contains("SUMMARY:Møde\\; om\\, innovation\r\n"))
        for line in text.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 75, "line longer than 75 octets: \(line)")
        }
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }
}
