import Testing
import DeportSimAnalysis
@testable import DeportSimCore
@testable import DeportSimReport

@Suite("Report chart geometry")
struct ReportAxisTests {
    @Test func niceStepsAreOneTwoFiveTimesAPowerOfTen() {
        #expect(AxisMath.niceStep(span: 12345, count: 5) == 2500)
        #expect(AxisMath.niceStep(span: 100, count: 5) == 20)
        #expect(AxisMath.niceStep(span: 0.37, count: 5) == 0.1)
        #expect(AxisMath.niceStep(span: 9, count: 5) == 2)
    }

    @Test func countsAxisStartsAtZeroWithThousandsSeparators() {
        let axis = AxisMath.numericAxis(values: [1200, 12345, 800])
        #expect(axis.low == 0)
        #expect(axis.high == 12500)
        #expect(axis.labels == ["0", "2,500", "5,000", "7,500", "10,000", "12,500"])
    }

    @Test func largeNumbersAreLabelledInMillions() {
        let axis = AxisMath.numericAxis(values: [0, 120_000_000])
        #expect(axis.step == 25_000_000)
        #expect(axis.high == 125_000_000)
        #expect(axis.labels == ["0", "25M", "50M", "75M", "100M", "125M"])
        #expect(AxisMath.numericAxis(values: [0, 125_274_702]).labels == ["0", "50M", "100M", "150M"])
        // Below ten million, full numbers with separators.
        #expect(AxisMath.numericAxis(values: [0, 2_400_000]).labels.last == "2,500,000")
    }

    @Test func smallStepsGetTheDecimalsTheyNeed() {
        #expect(AxisMath.numericAxis(values: [0, 0.37]).labels == ["0", "0.1", "0.2", "0.3", "0.4"])
        #expect(AxisMath.tickLabel(0.75, step: 0.25) == "0.75")
        #expect(AxisMath.tickLabel(1.5, step: 0.5) == "1.5")
    }

    @Test(arguments: [[0.0, 0, 0], [], [Double.nan, .infinity]])
    func zeroHeightSeriesGetAUnitAxis(values: [Double]) {
        let axis = AxisMath.numericAxis(values: values)
        #expect(axis.low == 0)
        #expect(axis.high == 1)
        #expect(axis.ticks.count >= 2)
        // And the scale maps without dividing by zero.
        let y = LinearScale(domain: (axis.low, axis.high), range: (190, 10))
        #expect(y(0) == 190)
        #expect(y(1) == 10)
    }

    @Test func constantSeriesWithoutZeroIsPaddedAroundItsValue() {
        let axis = AxisMath.numericAxis(values: [5, 5, 5], includeZero: false)
        #expect(axis.low < 5 && axis.high > 5)
        #expect(axis.high - axis.low <= 2)
        let withZero = AxisMath.numericAxis(values: [5, 5])
        #expect(withZero.low == 0 && withZero.high == 5)
    }

    @Test func negativeValuesKeepZeroOnTheAxis() {
        let axis = AxisMath.numericAxis(values: [-300, 1200])
        #expect(axis.low <= -300 && axis.high >= 1200)
        #expect(axis.ticks.contains(0))
        #expect(axis.label(-500) == "-500")
    }

    @Test func groupedNumbers() {
        #expect(groupedNumber(1_234_567.5, decimals: 1) == "1,234,567.5")
        #expect(groupedNumber(-1234) == "-1,234")
        #expect(groupedNumber(999) == "999")
        #expect(groupedNumber(-0.0001, decimals: 1) == "0.0")
        #expect(readableNumber(2160) == "2,160")
        #expect(readableNumber(61.5) == "61.5")
    }

    static func date(_ s: String) -> CivilDate { CivilDate(iso: s)! }

    @Test func monthTicksForEightMonths() {
        let ticks = AxisMath.dateTicks(first: Self.date("2024-01-01"), last: Self.date("2024-08-31"), maxTicks: 8)
        #expect(ticks.map(\.label) == ["Jan 2024", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug"])
        #expect(ticks.allSatisfy { $0.date.day == 1 })
        let fewer = AxisMath.dateTicks(first: Self.date("2024-01-01"), last: Self.date("2024-08-31"), maxTicks: 7)
        #expect(fewer.map(\.label) == ["Jan 2024", "Mar", "May", "Jul"])
    }

    @Test func monthTicksNameTheYearAtJanuary() {
        let ticks = AxisMath.dateTicks(first: Self.date("2024-10-15"), last: Self.date("2025-03-31"), maxTicks: 8)
        #expect(ticks.map(\.label) == ["Nov 2024", "Dec", "Jan 2025", "Feb", "Mar"])
    }

    @Test func dayAndWeekTicks() {
        let days = AxisMath.dateTicks(first: Self.date("2024-06-03"), last: Self.date("2024-06-07"), maxTicks: 8)
        #expect(days.map(\.label) == ["Jun 3, 2024", "Jun 4", "Jun 5", "Jun 6", "Jun 7"])
        let weeks = AxisMath.dateTicks(first: Self.date("2024-01-10"), last: Self.date("2024-02-20"), maxTicks: 8)
        #expect(weeks.count == 6)
        #expect(weeks.allSatisfy { $0.date.isoWeekday == 1 })
        #expect(weeks.first?.label == "Jan 15, 2024")
        #expect(weeks.last?.label == "Feb 19")
        // Three months read better as months than as fortnights.
        let quarter = AxisMath.dateTicks(first: Self.date("2024-01-01"), last: Self.date("2024-03-31"), maxTicks: 7)
        #expect(quarter.map(\.label) == ["Jan 2024", "Feb", "Mar"])
    }

    @Test func yearTicksForLongRuns() {
        let ticks = AxisMath.dateTicks(first: Self.date("2020-03-01"), last: Self.date("2031-12-31"), maxTicks: 8)
        #expect(ticks.map(\.label) == ["2022", "2024", "2026", "2028", "2030"])
        let short = AxisMath.dateTicks(first: Self.date("2020-01-01"), last: Self.date("2023-12-31"), maxTicks: 8)
        #expect(short.map(\.label) == ["Jan 2020", "Jul", "Jan 2021", "Jul", "Jan 2022", "Jul", "Jan 2023", "Jul"])
    }

    @Test func linesBreakAtMissingValues() {
        let d = PathData.line([(x: 0, y: 0), (x: 1.04, y: 1), nil, (x: 2, y: .nan), (x: 3, y: 3), (x: 4.25, y: 4)])
        #expect(d == "M0 0 L1 1 M3 3 L4.3 4")
        #expect(PathData.line([]) == "")
    }

    @Test func bandsAreClosedAndSplitAtGaps() {
        let d = PathData.band(x: [0, 1, 2, 3, 4], lower: [0, 0, .nan, 1, 1], upper: [2, 2, 2, 3, 3])
        #expect(ReportFixtures.count("Z", in: d) == 2)
        #expect(d.hasPrefix("M0 2 L1 2 L1 0 L0 0 Z"))
    }

    @Test func scalesRunBackwardsForYAxes() {
        let y = LinearScale(domain: (0, 100), range: (190, 10))
        #expect(y(0) == 190)
        #expect(y(100) == 10)
        #expect(y(50) == 100)
        #expect(LinearScale(domain: (3, 3), range: (0, 10))(3) == 5)
    }
}
