/// Bounds on what the readers accept, so hostile or careless input fails
/// fast with a located error instead of exhausting memory, time or the
/// stack. Each is checked before the work it bounds; the README's "Limits"
/// table lists them with these reasons.
public enum Limits {
    /// Largest scenario, sweep spec or targets file read, in bytes, checked
    /// before reading. The largest shipped scenario is 87 KB
    /// (southwest-border-2024.yaml), so 16 MiB leaves room for scenarios
    /// about 190 times larger; the parsed tree takes about 35 bytes of memory
    /// per byte of YAML (a 73 MB file peaked at 2.5 GB), so 16 MiB caps a
    /// check at about 600 MB.
    public static let fileBytes = 16 * 1024 * 1024

    /// Deepest nesting of mappings and lists. A scenario needs 6 levels
    /// (routes.0.schedule.dates.0 and countries.X.encounters.seasonality.0
    /// are the deepest); 32 leaves room for hand-written structure while
    /// keeping every recursive walk of the tree (merge, printing) shallow.
    public static let nestingDepth = 32

    /// Most items in one list or keys in one mapping. The largest list
    /// shipped has a few hundred items (flight dates, targets); a daily
    /// series over a 100-year run is 36,525; 100,000 is well above both.
    public static let listItems = 100_000

    /// Most segments in a path (`--set`, `--variant`, event keys, sweep and
    /// calibration parameters). The deepest path a scenario has is 5
    /// segments (routes.ID.schedule.dates.0); setting a path walks the tree
    /// once per segment.
    public static let pathSegments = 32

    /// Most files in an `extends` chain. The shipped overlays extend one
    /// base; each link is a file read and a merge.
    public static let extendsChain = 16

    /// Longest run (start to end, days included), and longest warm-up or
    /// ramp: 100 years (36,525 days). Far beyond any policy horizon; with the
    /// memory estimate it bounds the cells of a run (days x countries).
    public static let runDays = 36_525

    /// Most replications of a run (or of each sweep point). A mean's and a
    /// quantile's error shrinks as 1/sqrt(R): at 10 million it is 0.03% of
    /// the standard deviation, far below anything a decision turns on, and
    /// the count stays exact in the summaries' Double counters. Memory does
    /// not grow with it; time does (the shipped China scenario takes about
    /// 1 ms a replication per core, so 10 million is about 3 hours on one).
    public static let replications = 10_000_000

    /// Most points of a sweep design: each point is at least one run, and
    /// points.csv holds a row per point.
    public static let sweepPoints = 10_000_000

    /// Most worker threads (`--jobs`); more than the machine's cores gains
    /// nothing, and each thread holds a simulator.
    public static let jobs = 1_024

    /// Most errors one check of a file reports: enough to fix a file in
    /// one pass, few enough to read.
    public static let errorsReported = 20
}
