/// A season's placement week: an ISO 8601 week, Monday to Sunday.
///
/// ISO week 1 is the week (Monday first) that contains 4 January, equivalently the first week with
/// a Thursday; a year has 53 weeks when it starts on a Thursday, or on a Wednesday in a leap year.
/// Week 1 may start in December and week 52/53 may end in January, so the days can span two years.
public struct PlacementWeek: Sendable, Hashable, CustomStringConvertible {
    /// Why a year and week do not name an ISO week.
    public enum InvalidWeek: Error, Equatable, Sendable {
        /// Years outside 1–9999 are refused (the four-digit range ISO 8601 text can carry).
        case yearOutOfRange(Int)
        /// The week is below 1 or beyond the year's last week (`weeksInYear`).
        case weekOutOfRange(year: Int, week: Int, weeksInYear: Int)
    }

    /// The ISO week-numbering year (may differ from the calendar year of some of its days).
    public let year: Int
    /// The week number, 1–52 or 1–53.
    public let week: Int
    /// The week's Monday.
    public let monday: CivilDate

    /// The week `week` of ISO year `year`.
    /// - Throws: `InvalidWeek` for a year outside 1–9999 or a week the year does not have.
    public init(year: Int, week: Int) throws(InvalidWeek) {
        guard (1...9999).contains(year) else { throw .yearOutOfRange(year) }
        let weeks = Self.weeksInYear(year)
        guard (1...weeks).contains(week) else { throw .weekOutOfRange(year: year, week: week, weeksInYear: weeks) }
        self.year = year
        self.week = week
        monday = Self.mondayOfWeekOne(year).adding(days: 7 * (week - 1))
    }

    /// The ISO week containing `date`.
    public init(containing date: CivilDate) {
        // The week's Thursday decides its year: it is always in the week-numbering year.
        let thursday = date.adding(days: 4 - date.isoWeekday)
        year = thursday.year
        monday = date.adding(days: 1 - date.isoWeekday)
        week = (monday.daysSinceEpoch - Self.mondayOfWeekOne(year).daysSinceEpoch) / 7 + 1
    }

    /// The week's Sunday.
    public var sunday: CivilDate { monday.adding(days: 6) }

    /// Monday to Sunday.
    public var days: [CivilDate] { (0..<7).map { monday.adding(days: $0) } }

    /// Whether `date` is one of the week's days.
    public func contains(_ date: CivilDate) -> Bool { monday <= date && date <= sunday }

    /// "YYYY-Www", e.g. "2027-W37".
    public var description: String { "\(year)-W\(week < 10 ? "0" : "")\(week)" }

    /// 52 or 53.
    public static func weeksInYear(_ year: Int) -> Int {
        (mondayOfWeekOne(year + 1).daysSinceEpoch - mondayOfWeekOne(year).daysSinceEpoch) / 7
    }

    /// The Monday on or before 4 January.
    static func mondayOfWeekOne(_ year: Int) -> CivilDate {
        let january4 = CivilDate(year: year, month: 1, day: 4)!
        return january4.adding(days: 1 - january4.isoWeekday)
    }
}
