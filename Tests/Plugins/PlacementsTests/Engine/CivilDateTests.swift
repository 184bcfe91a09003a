@testable import COIPlacements
import Testing

@Suite struct CivilDateTests {
    // Days since 1970-01-01 and ISO weekdays from Python:
    // (date.fromisoformat(t) - date(1970, 1, 1)).days and date.fromisoformat(t).isocalendar().
    @Test(arguments: [("1970-01-01", 0, 4), ("2000-02-29", 11016, 2), ("2021-01-03", 18630, 7), ("2024-12-30", 20087, 1),
                      ("2027-01-01", 20819, 5), ("1600-03-01", -135080, 3)])
    func daysSinceEpochAndWeekday(text: String, days: Int, weekday: Int) throws {
        let date = try #require(CivilDate(text))
        #expect(date.daysSinceEpoch == days)
        #expect(CivilDate(daysSinceEpoch: days) == date)
        #expect(date.isoWeekday == weekday)
        #expect(date.description == text)
    }

    @Test func roundTripsEveryDayOfFourCenturies() {
        var expected = CivilDate(year: 1900, month: 1, day: 1)!
        for days in CivilDate(year: 1900, month: 1, day: 1)!.daysSinceEpoch..<CivilDate(year: 2300, month: 1, day: 1)!.daysSinceEpoch {
            let date = CivilDate(daysSinceEpoch: days)
            #expect(date == expected)
            if date != expected { break }
            #expect(date.daysSinceEpoch == days)
            expected = Self.nextDay(expected)
        }
    }

    @Test func refusesDatesThatDoNotExist() {
        #expect(CivilDate(year: 2027, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2028, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2027, month: 13, day: 1) == nil)
        #expect(CivilDate(year: 2027, month: 4, day: 31) == nil)
        for text in ["2027-9-13", "2027-09-13T00:00", "27-09-13", "2027-09-1x", "", "2027-02-30", "２０２７-09-13"] {
            #expect(CivilDate(text) == nil, "\(text)")
        }
    }

    @Test func ordersByDay() {
        #expect(CivilDate("2026-12-31")! < CivilDate("2027-01-01")!)
        #expect(CivilDate("2027-09-13")!.adding(days: 6) == CivilDate("2027-09-19")!)
        #expect(CivilDate("2027-03-01")!.adding(days: -1) == CivilDate("2027-02-28")!)
    }

    /// The next day by counting, independent of the epoch arithmetic under test.
    static func nextDay(_ date: CivilDate) -> CivilDate {
        if let next = CivilDate(year: date.year, month: date.month, day: date.day + 1) { return next }
        if let next = CivilDate(year: date.year, month: date.month + 1, day: 1) { return next }
        return CivilDate(year: date.year + 1, month: 1, day: 1)!
    }
}
