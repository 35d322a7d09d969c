import Testing
@testable import DeportSimCore

@Suite("Calendar and periods")
struct CalendarTests {
    @Test func dayNumbersRoundTrip() {
        for n in stride(from: -1000, to: 30000, by: 37) {
            let d = CivilDate(dayNumber: n)
            #expect(d.dayNumber == n)
            #expect(CivilDate(iso: d.description) == d)
        }
        #expect(CivilDate(iso: "2024-02-29") != nil)
        #expect(CivilDate(iso: "2023-02-29") == nil)
        #expect(CivilDate(iso: "2024-13-01") == nil)
        #expect(CivilDate(iso: "2024-1-01") == nil)
    }

    @Test func fiscalYearsCrossCalendarYears() {
        let cal = PeriodCalendar(kind: .fiscalYear, start: CivilDate(iso: "2024-01-01")!, end: CivilDate(iso: "2025-01-31")!)
        #expect(cal.periods.map(\.start.description) == ["2024-01-01", "2024-10-01"])
        #expect(cal.periods.map(\.end.description) == ["2024-09-30", "2025-01-31"])
    }

    @Test func isoWeeksStartOnMonday() {
        // 2024-01-01 was a Monday; 2024-01-10 a Wednesday.
        let cal = PeriodCalendar(kind: .week, start: CivilDate(iso: "2024-01-10")!, end: CivilDate(iso: "2024-01-22")!)
        #expect(cal.periods.map(\.start.description) == ["2024-01-10", "2024-01-15", "2024-01-22"])
        #expect(cal.periods.first?.end.description == "2024-01-14")
    }
}
