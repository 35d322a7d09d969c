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
}
