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
    /// Days simulated before `start`, unrecorded (docs/model.md 2.9).
    public var warmupDays = 0
    /// The values in force on the first day.
    public var parameters: ModelParameters
    /// The values in force from a day on, one entry per event day, in date
    /// order. Events are deterministic, so the loader applies them once and
    /// the simulator only swaps values on those days.
    public var changes: [ParameterChange]
    /// Dated notes of the events, for reports.
    public var eventNotes: [EventNote]
    /// Values each replication draws for itself (docs/model.md 8.7).
    public var uncertainty: Uncertainty

    public init(name: String, description: String = "", start: CivilDate, end: CivilDate, seed: UInt64 = 1,
                replications: Int = 100, outputPeriod: PeriodKind = .month, parameters: ModelParameters,
                changes: [ParameterChange] = [], eventNotes: [EventNote] = [], uncertainty: Uncertainty = Uncertainty()) {
        self.name = name; self.description = description; self.start = start; self.end = end
        self.seed = seed; self.replications = replications; self.outputPeriod = outputPeriod
        self.parameters = parameters; self.changes = changes; self.eventNotes = eventNotes
        self.uncertainty = uncertainty
    }

    /// Whether an event on or before `date` sets `path`, a value inside it or the mapping holding it.
    public func eventSets(_ path: String, onOrBefore date: CivilDate) -> Bool {
        eventNotes.contains { note in note.date <= date && note.paths.contains { Scenario.overlaps($0, path) } }
    }

    /// Whether one path names the other, a value inside it or the mapping holding it.
    public static func overlaps(_ a: String, _ path: String) -> Bool {
        a == path || a.hasPrefix(path + ".") || path.hasPrefix(a + ".")
    }

    /// Whether the border-wide restriction rule exists on some day of the run.
    public var hasRestrictionRule: Bool {
        parameters.border.restrictions != nil || changes.contains { $0.parameters.border.restrictions != nil }
    }

    /// Whether `uncertain:` draws the value at `path` (or one holding it, or
    /// one inside it) in every replication, so a value set there has no effect.
    public func drawsValue(at path: String) -> Bool {
        uncertainty.targets.contains { Scenario.overlaps($0.overridePath, path) && Self.drawReplaces($0, path) }
    }

    /// Whether a draw of `t` replaces the value at `path` (rather than
    /// rescaling it, as a draw of another share of its pathway set does).
    private static func drawReplaces(_ t: UncertainTarget, _ path: String) -> Bool { overlaps(t.path, path) }

    /// The warnings that a value set from outside the file at `path`
    /// (`--set`, `--variant`, a sweep point, `--fit`, the explorer; `what`
    /// names it: "--set", "swept") does not hold for the whole run: the one
    /// rule every command warns by (docs/model.md 8.7 and 9). An uncertain
    /// draw wins over the outside value: it replaces it in every replication
    /// (a draw of another share of its pathway set rescales it), so only that
    /// is said. Otherwise each event that sets the path, a value inside it or
    /// the mapping holding it overrides the value from its date, unless the
    /// value is `carriedIntoEvents` (a sweep's `carry_into_events`).
    /// `alsoSet`: the other paths set from outside with it; an event whose
    /// own value of the path is among them (`events.<id>.set.<path>`) was
    /// set too, so it is not warned of.
    public func overrideWarnings(path: String, what: String, carriedIntoEvents: Bool = false, alsoSet: [String] = []) -> [String] {
        let drawn = uncertainty.targets.filter { Scenario.overlaps($0.overridePath, path) }
        if !drawn.isEmpty {
            return drawn.map { t in
                let head = "warning: the scenario's uncertain: draws \(t.path) in each replication (docs/model.md 8.7), so "
                if Self.drawReplaces(t, path) {
                    let inside = t.path == path ? "" : " (set by \(path))"
                    return head + "the \(what) value of \(t.path)\(inside) has no effect on the run; leave \(t.path) out of uncertain: to set it"
                }
                return head + "the other shares of \(t.shareSet ?? t.path) are scaled to make up the rest: the \(what) value of \(path) keeps only its ratio to the third share"
            }
        }
        return carriedIntoEvents ? [] : eventOverrideWarnings(path: path, what: what, alsoSet: alsoSet)
    }

    /// One line per event that sets `path` (or a value inside it, or the
    /// mapping holding it), naming the event by its date and note: a value
    /// set before the first day (by the file's `uncertain:`, or from outside
    /// it: use `overrideWarnings` for those) holds only until such an event.
    public func eventOverrideWarnings(path: String, what: String, alsoSet: [String] = []) -> [String] {
        eventNotes.flatMap { note in
            note.paths.filter { p in
                Scenario.overlaps(p, path) && !(note.id.map { alsoSet.contains("events.\($0).set.\(p)") } ?? false)
            }.map {
                // Notes can be paragraphs: their start is enough to name the event.
                let text = note.note.count > 60 ? String(note.note.prefix(60)) + "..." : note.note
                let named = text.isEmpty ? "" : " (the event \"\(text)\")"
                return "warning: the scenario's event of \(note.date) sets \($0), so the \(what) value of \(path) holds only until then\(named)"
            }
        }
    }

    /// Whether some encounter process, in the scenario's values or an
    /// event's, is given as two streams: then the stream metrics are reported.
    public var hasEncounterStreams: Bool {
        ([parameters] + changes.map(\.parameters)).contains { p in
            p.border.otherEncountersAsStreams || p.countries.contains(where: \.encountersAsStreams)
        }
    }

    /// Number of recorded days, start and end included.
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
    /// The event's `id`, if it has one (docs/model.md 9.1).
    public var id: String?
    public init(date: CivilDate, note: String, paths: [String], id: String? = nil) {
        self.date = date; self.note = note; self.paths = paths; self.id = id
    }
}
