import DeportSimAnalysis
import Foundation

/// Paths name values from the top of a scenario (docs/model.md, "Paths"):
/// `countries.CHN.court.mean_days`, `routes.china-charter.seats` (routes by
/// id), `countries.CHN.encounters.seasonality.5` (list elements by index).
/// Events, `--set`, sweep parameters and calibration all set values this way.
public enum TreePaths {
    /// Sets `value` at `path`. A mapping value over a mapping sets several
    /// leaves at once. Missing mapping keys are created (the full scenario
    /// check afterwards rejects unknown ones), except countries and routes,
    /// which must exist.
    public static func set(_ root: TreeNode, path: String, value: TreeNode, origin: SourceLocation) throws -> TreeNode {
        let comps = try components(path, origin: origin)
        // `events.<id>.set.<path>`: the value that event sets.
        if let assignment = try eventAssignment(root, comps, origin: origin) {
            return try assignment.replacing(in: root) { entryValue in
                try set(entryValue, assignment.inner[...], value: value, done: assignment.label, origin: origin)
            }
        }
        // `events` and `targets` set whole add to the scenario's, as an overlay's do.
        if comps.count == 1, addedLists.contains(comps[0]), let existing = root[comps[0]] {
            return try set(root, comps[...], value: adding(value, to: existing, key: comps[0]), done: "", origin: origin, replace: true)
        }
        // A route's schedule has one kind: setting a kind replaces the others.
        if comps.count >= 3, comps[0] == "routes", comps[2] == "schedule" {
            let kinds = comps.count == 3 ? (value.entries?.map(\.key) ?? []) : [comps[3]]
            let scheduleComps = comps.prefix(3)
            if let schedule = get(root, path: scheduleComps.joined(separator: ".")), let cleaned = replacingScheduleKinds(schedule, with: kinds) {
                let base = try set(root, Array(scheduleComps)[...], value: cleaned, done: "", origin: origin, replace: true)
                return try set(base, comps[...], value: value, done: "", origin: origin)
            }
        }
        return try set(root, comps[...], value: value, done: "", origin: origin)
    }

    /// Splits a path into its keys, refusing empty segments and paths past
    /// the segment limit (setting and deleting walk once per segment).
    static func components(_ path: String, origin: SourceLocation) throws -> [String] {
        let comps = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if comps.isEmpty || comps.contains(where: \.isEmpty) {
            throw DeportSimError.badInput(origin, path, "expected a path of keys joined by dots, like countries.CHN.court.mean_days")
        }
        if comps.count > Limits.pathSegments {
            throw DeportSimError.badInput(origin, String(path.prefix(80)) + (path.count > 80 ? "..." : ""),
                             "a path of \(comps.count) segments, more than the limit of \(Limits.pathSegments)")
        }
        return comps
    }

    /// The schedule without the keys of kinds other than those being set
    /// (nil when nothing changes), so `every_days` can replace `dates`.
    static func replacingScheduleKinds(_ schedule: TreeNode, with newKeys: [String]) -> TreeNode? {
        guard let entries = schedule.entries else { return nil }
        let kinds = ScenarioKeys.scheduleKinds
        let newKinds = kinds.filter { newKeys.contains($0.kind) }
        guard !newKinds.isEmpty else { return nil }
        let keep = Set(newKinds.flatMap(\.keys))
        let dropped = entries.filter { e in !keep.contains(e.key) && kinds.contains { $0.keys.contains(e.key) } }
        if dropped.isEmpty { return nil }
        return TreeNode(.mapping(entries.filter { e in !dropped.contains { $0.key == e.key } }), schedule.location)
    }

    static func set(_ node: TreeNode, _ comps: ArraySlice<String>, value: TreeNode, done: String,
                    origin: SourceLocation, replace: Bool = false) throws -> TreeNode {
        guard let head = comps.first else {
            if !replace, node.entries != nil, value.entries != nil { return merge(node, value) }
            return value
        }
        let here = done.isEmpty ? head : done + "." + head
        let rest = comps.dropFirst()
        switch node.value {
        case .mapping(var entries):
            if let i = entries.firstIndex(where: { $0.key == head }) {
                entries[i].value = try set(entries[i].value, rest, value: value, done: here, origin: origin, replace: replace)
            } else {
                if done == "countries" {
                    let codes = entries.map(\.key)
                    let hint = didYouMean(head, in: codes)
                    throw DeportSimError.badInput(origin, here, "no country '\(head)' in this scenario (countries: \(codes.joined(separator: ", ")))\(hint)")
                }
                if done.isEmpty && head == "routes" && !rest.isEmpty {
                    throw DeportSimError.badInput(origin, here + "." + rest[rest.startIndex], "no route with id '\(rest[rest.startIndex])': the scenario has no routes")
                }
                let fresh = TreeNode(.mapping([]), origin)
                entries.append(TreeEntry(key: head, keyLocation: origin,
                                         value: rest.isEmpty ? value : try set(fresh, rest, value: value, done: here, origin: origin)))
            }
            return TreeNode(.mapping(entries), node.location)
        case .sequence(var items):
            let index = try elementIndex(items, head, done: done, origin: origin)
            items[index] = try set(items[index], rest, value: value, done: here, origin: origin, replace: replace)
            return TreeNode(.sequence(items), node.location)
        case .scalar:
            if node.isNull {
                return try set(TreeNode(.mapping([]), origin), comps, value: value, done: done, origin: origin)
            }
            throw DeportSimError.badInput(origin, here, "'\(done)' holds a single value, not a mapping or list, so it has no '\(head)'")
        }
    }

    /// Top-level lists that an overlay or a path adds to rather than replaces
    /// (docs/model.md section 9): a base's events and targets stay.
    static let addedLists: Set<String> = ["events", "targets"]

    /// The one rule for `events` and `targets` given as a whole, by an
    /// overlay or by a path: `overlay`'s items are added after `base`'s,
    /// except that an event whose id is a base event's changes that event
    /// (merged as a route is); a value that is not a list (`null`) replaces.
    static func adding(_ overlay: TreeNode, to base: TreeNode, key: String) -> TreeNode {
        guard let more = overlay.items else { return overlay }
        var combined = base.items ?? []
        let baseCount = combined.count
        for item in more {
            if key == "events", let id = item["id"]?.scalarText,
               let k = combined.prefix(baseCount).firstIndex(where: { $0["id"]?.scalarText == id }) {
                combined[k] = merge(combined[k], item)
            } else {
                combined.append(item)
            }
        }
        return TreeNode(.sequence(combined), overlay.location)
    }

    /// The list element a path segment names: a route by its id, an event
    /// by its id or position, any other element by its 0-based position.
    static func elementIndex(_ items: [TreeNode], _ head: String, done: String, origin: SourceLocation) throws -> Int {
        let here = done.isEmpty ? head : done + "." + head
        let byId = done == "routes" || (done == "events" && Int(head) == nil)
        if byId {
            let what = done == "routes" ? "route" : "event"
            let ids = items.compactMap { $0["id"]?.scalarText }
            guard let i = items.firstIndex(where: { $0["id"]?.scalarText == head }) else {
                let known = ids.isEmpty ? "no \(what) of this scenario has an id" : "\(what) ids: \(ids.joined(separator: ", "))"
                throw DeportSimError.badInput(origin, here, "no \(what) with id '\(head)' (\(known))\(didYouMean(head, in: ids))")
            }
            return i
        }
        guard let i = Int(head), i >= 0, i < items.count else {
            throw DeportSimError.badInput(origin, here, "expected a list index from 0 to \(items.count - 1), found '\(head)'")
        }
        return i
    }

    /// Deep merge: the overlay's keys win; nested mappings merge key by key.
    public static func merge(_ base: TreeNode, _ overlay: TreeNode) -> TreeNode {
        guard var entries = base.entries, let over = overlay.entries else { return overlay }
        for e in over {
            if let i = entries.firstIndex(where: { $0.key == e.key }) {
                entries[i].value = merge(entries[i].value, e.value)
            } else {
                entries.append(e)
            }
        }
        return TreeNode(.mapping(entries), base.location)
    }

    /// Flattens a mapping value into the leaf paths it sets.
    public static func leaves(path: String, value: TreeNode) -> [String] {
        guard let entries = value.entries, !entries.isEmpty else { return [path] }
        return entries.flatMap { leaves(path: path + "." + $0.key, value: $0.value) }
    }

    /// The run setting a path lies in (a top-level key that sets up the run
    /// rather than holding a model value: ScenarioKeys), or nil.
    public static func runSetting(of path: String) -> String? { ScenarioKeys.facts(path).runSetting }

    /// Why an event may not set this leaf, or nil when it may.
    public static func fixedAtStartReason(_ path: String) -> String? { ScenarioKeys.facts(path).fixedAtStart }

    /// Parses `PATH=VALUE` from the command line; the value is YAML (so
    /// `null`, `[1, 2]` and `{a: 1}` work).
    public static func parseAssignment(_ text: String, option: String = "--set") throws -> (path: String, value: TreeNode) {
        // A hostile argument can be megabytes long; messages show its start.
        let shown = text.count > 200 ? String(text.prefix(200)) + "..." : text
        let origin = SourceLocation(file: "\(option) \(shown)", line: 0, column: 0)
        guard let eq = text.firstIndex(of: "=") else {
            throw DeportSimError.badInput(origin, "", "expected PATH=VALUE, like countries.CHN.court.mean_days=900")
        }
        let path = InputText.trimmingBlanks(String(text[..<eq]))
        let raw = String(text[text.index(after: eq)...])
        // `extends` names a file to read, a directive of the file itself.
        if path == "extends" || path.hasPrefix("extends.") {
            throw DeportSimError.badInput(origin, path, "'extends' cannot be set from the command line: it names a base file; write `extends:` in a scenario file")
        }
        if path == "delete" || path.hasPrefix("delete.") {
            throw DeportSimError.badInput(origin, path, "'delete' cannot be set from the command line: it is a directive of an overlay file (`delete:` beside `extends:`)")
        }
        let value: TreeNode
        do {
            value = try TreeNode.parse(yaml: raw.isEmpty ? "null" : raw, file: origin.file)
        } catch let e as DeportSimError {
            throw DeportSimError.badInput(origin, path, "cannot read the value '\(raw)': \(e.message)")
        }
        return (path, relocate(value, origin))
    }

    /// Gives every node of a command-line value the command line as its location.
    static func relocate(_ node: TreeNode, _ loc: SourceLocation) -> TreeNode {
        switch node.value {
        case .scalar: return TreeNode(node.value, loc)
        case .mapping(let es):
            return TreeNode(.mapping(es.map { TreeEntry(key: $0.key, keyLocation: loc, value: relocate($0.value, loc)) }), loc)
        case .sequence(let items): return TreeNode(.sequence(items.map { relocate($0, loc) }), loc)
        }
    }

    /// Whether the scenario holds a whole number at this path (counts,
    /// days, seats), so swept or fitted values there are rounded.
    public static func isWholeNumber(_ path: String) -> Bool { ScenarioKeys.facts(path).key?.isWholeNumber ?? false }

    /// Reads the value at a path, or nil.
    public static func get(_ root: TreeNode, path: String) -> TreeNode? {
        let comps = path.split(separator: ".").map(String.init)
        if let assignment = try? eventAssignment(root, comps, origin: root.location) {
            return assignment.value(in: root).flatMap { get($0, path: assignment.inner.joined(separator: ".")) }
        }
        var node = root
        var done = ""
        for head in comps {
            if let items = node.items {
                guard let i = try? elementIndex(items, head, done: done, origin: root.location) else { return nil }
                node = items[i]
            } else if let child = node[head] {
                node = child
            } else {
                return nil
            }
            done = done.isEmpty ? head : done + "." + head
        }
        return node
    }
}
