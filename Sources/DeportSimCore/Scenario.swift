/// A runnable scenario: the model's values, the dated changes that events
/// make to them, and what a run needs besides (dates, seed, replications).
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    public var start: CivilDate
    public var end: CivilDate
    public var seed: UInt64
    public var replications: Int
    public var outputPeriod: PeriodKind
    /// The values in force on the first day.
    public var parameters: ModelParameters
    /// The values in force from a day on, one entry per event day, in date
    /// order. Events are deterministic, so the loader applies them once and
    /// the simulator only swaps values on those days.
    public var changes: [ParameterChange]
    /// Dated notes of the events, for reports.
    public var eventNotes: [EventNote]

    public init(name: String, description: String = "", start: CivilDate, end: CivilDate, seed: UInt64 = 1,
                replications: Int = 100, outputPeriod: PeriodKind = .month, parameters: ModelParameters,
                changes: [ParameterChange] = [], eventNotes: [EventNote] = []) {
        self.name = name; self.description = description; self.start = start; self.end = end
        self.seed = seed; self.replications = replications; self.outputPeriod = outputPeriod
        self.parameters = parameters; self.changes = changes; self.eventNotes = eventNotes
    }

    /// Number of simulated days, start and end included.
    public var dayCount: Int { end.dayNumber - start.dayNumber + 1 }
    public func date(ofDay day: Int) -> CivilDate { start.adding(days: day) }
    public func dayIndex(of date: CivilDate) -> Int { date.dayNumber - start.dayNumber }
}

public struct ParameterChange: Sendable {
    public var date: CivilDate
    public var parameters: ModelParameters
    public init(date: CivilDate, parameters: ModelParameters) { self.date = date; self.parameters = parameters }
}

public struct EventNote: Sendable, Equatable {
    public var date: CivilDate
    public var note: String
    public var paths: [String]
    public init(date: CivilDate, note: String, paths: [String]) { self.date = date; self.note = note; self.paths = paths }
}
