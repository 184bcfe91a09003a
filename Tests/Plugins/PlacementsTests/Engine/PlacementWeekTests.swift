@testable import COIPlacements
import Foundation
import Testing

@Suite struct PlacementWeekTests {
    // Expected Mondays and Sundays come from Python, an outside ISO 8601 implementation:
    // date.fromisocalendar(year, week, 1) and date.fromisocalendar(year, week, 7).
    @Test(arguments: [
        (2020, 53, "2020-12-28", "2021-01-03"),
        (2026, 53, "2026-12-28", "2027-01-03"),
        (2027, 37, "2027-09-13", "2027-09-19"),
        (2015, 47, "2015-11-16", "2015-11-22"),
        (2017, 37, "2017-09-11", "2017-09-17"),  // the 2017 main placement week
        (2019, 1, "2018-12-31", "2019-01-06"),
        (2010, 1, "2010-01-04", "2010-01-10"),
        (2025, 1, "2024-12-30", "2025-01-05"),
        (2009, 53, "2009-12-28", "2010-01-03"),
        (2004, 53, "2004-12-27", "2005-01-02"),
        (2032, 53, "2032-12-27", "2033-01-02"),
        (2024, 52, "2024-12-23", "2024-12-29"),
        (2021, 52, "2021-12-27", "2022-01-02"),
    ])
    func mondayToSundayMatchesPython(year: Int, week: Int, monday: String, sunday: String) throws {
        let placement = try PlacementWeek(year: year, week: week)
        #expect(placement.monday.description == monday)
        #expect(placement.sunday.description == sunday)
        #expect(placement.days.count == 7 && placement.days.first == placement.monday && placement.days.last == placement.sunday)
        #expect(placement.days.map(\.isoWeekday) == Array(1...7))
        #expect(PlacementWeek(containing: placement.monday) == placement && PlacementWeek(containing: placement.sunday) == placement)
    }

    // Python raises ValueError("Invalid week: 53") for date.fromisocalendar(2021, 53, 1), and for
    // 2025 and 2027; weeks 0 and 54 never exist.
    @Test(arguments: [(2021, 53), (2025, 53), (2027, 53), (2026, 54), (2026, 0), (2026, -1)])
    func weeksAYearDoesNotHaveAreRefused(year: Int, week: Int) {
        #expect(throws: PlacementWeek.InvalidWeek.weekOutOfRange(year: year, week: week, weeksInYear: year == 2026 ? 53 : 52)) {
            try PlacementWeek(year: year, week: week)
        }
    }

    @Test func yearsOutsideFourDigitsAreRefused() {
        #expect(throws: PlacementWeek.InvalidWeek.yearOutOfRange(0)) { try PlacementWeek(year: 0, week: 1) }
        #expect(throws: PlacementWeek.InvalidWeek.yearOutOfRange(10_000)) { try PlacementWeek(year: 10_000, week: 1) }
    }

    // From Python: [y for y in range(2000, 2100) if date(y, 12, 28).isocalendar()[1] == 53].
    @Test func yearsWithFiftyThreeWeeksMatchPython() {
        let expected = [2004, 2009, 2015, 2020, 2026, 2032, 2037, 2043, 2048, 2054, 2060, 2065, 2071, 2076, 2082, 2088, 2093, 2099]
        #expect((2000..<2100).filter { PlacementWeek.weeksInYear($0) == 53 } == expected)
        #expect((2000..<2100).allSatisfy { [52, 53].contains(PlacementWeek.weeksInYear($0)) })
    }

    // From Python's date.isocalendar(): days near the turn of the year belong to the other year's weeks.
    @Test(arguments: [("2021-01-03", 2020, 53), ("2024-12-30", 2025, 1), ("2008-12-29", 2009, 1), ("2027-01-01", 2026, 53),
                      ("2016-01-03", 2015, 53), ("1970-01-01", 1970, 1), ("2000-02-29", 2000, 9)])
    func weekContainingADay(text: String, year: Int, week: Int) throws {
        let placement = PlacementWeek(containing: try #require(CivilDate(text)))
        #expect(placement.year == year && placement.week == week)
        #expect(placement.contains(try #require(CivilDate(text))))
    }

    /// A second outside reference for every week of a century: Foundation's ISO 8601 calendar,
    /// pinned to UTC so the machine's locale and time zone cannot leak in.
    @Test func everyWeekAgreesWithFoundationsISOCalendar() throws {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for year in 1990...2090 {
            for week in 1...PlacementWeek.weeksInYear(year) {
                let components = DateComponents(weekday: 2, weekOfYear: week, yearForWeekOfYear: year)
                let date = try #require(calendar.date(from: components))
                let day = calendar.dateComponents([.year, .month, .day], from: date)
                let expected = CivilDate(year: day.year!, month: day.month!, day: day.day!)
                #expect(try PlacementWeek(year: year, week: week).monday == expected, "\(year)-W\(week)")
            }
            let weekOne = try PlacementWeek(year: year, week: 1).monday.noonUTC(calendar)
            let weeks = calendar.range(of: .weekOfYear, in: .yearForWeekOfYear, for: weekOne)?.count
            #expect(weeks == PlacementWeek.weeksInYear(year), "\(year)")
        }
    }

    @Test func describesItselfInISOForm() throws {
        #expect(try PlacementWeek(year: 2027, week: 37).description == "2027-W37")
        #expect(try PlacementWeek(year: 2025, week: 1).description == "2025-W01")
        #expect(!(try PlacementWeek(year: 2027, week: 37)).contains(CivilDate("2027-09-20")!))
    }
}

private extension CivilDate {
    func noonUTC(_ calendar: Calendar) -> Date {
        calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
    }
}
