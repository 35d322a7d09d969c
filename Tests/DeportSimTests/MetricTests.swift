import Testing
@testable import DeportSimCore
@testable import DeportSimReport

/// Metrics carry their words and units; the report reads them from there.
@Suite("Metric labels and units")
struct MetricTests {
    @Test("the report's titles and units come from Metric")
    func reportReadsMetric() {
        #expect(MetricText.title("book_ins") == Metric.bookIns.label)
        #expect(MetricText.title("removals_charter") == "Removals charter")
        #expect(MetricText.title("removals+departures") == "Removals + departures")
        #expect(MetricText.unit("cost_total", period: "month") == "US$ per month")
        #expect(MetricText.unit("encounters_7day_average", period: "week") == "people per day, at the end of each week")
        #expect(MetricText.unit("flights_cancelled", period: "total") == "flights over the whole run")
        #expect(MetricText.unit("detained", period: "fiscal_year") == "people, at the end of each fiscal year")
        #expect(MetricText.unit("cost_charter+cost_commercial", period: "year") == "US$ per year")
        #expect(MetricText.unit("pending+at_large", period: "month") == "people, at the end of each month")
    }

    @Test("every metric has a label and only costs are in dollars")
    func everyMetric() {
        for m in Metric.allCases {
            #expect(!m.label.isEmpty && m.label.first!.isUppercase, "\(m.name)")
            #expect((m.unit == .usDollars) == m.name.hasPrefix("cost"), "\(m.name)")
        }
    }
}
