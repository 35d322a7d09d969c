import Crypto
import DeportSimAnalysis
import DeportSimCore
import Foundation

/// A scenario read from disk, with what provenance needs.
public struct LoadedScenario: Sendable {
    public var scenario: Scenario
    /// The resolved tree (extends merged, overrides applied).
    public var tree: TreeNode
    public var file: String
    /// SHA-256 of the scenario file's bytes.
    public var fileSHA256: String
    /// SHA-256 of the resolved scenario as YAML: equal for equal inputs,
    /// whatever files and overrides produced them.
    public var resolvedSHA256: String
    public var targets: [Target]
    /// Load-time warnings for stderr (`check`, `run`): deprecations, an
    /// event that overrides an uncertain value, or one that overrides a
    /// value set from the command line (`--set`, `--variant`:
    /// `Scenario.overrideWarnings`). The scenario still loads.
    public var warnings: [String] = []
}

public enum ScenarioLoader {
    /// Loads a scenario file, follows `extends`, applies `--set` overrides,
    /// checks everything and turns the events into dated parameter changes.
    public static func load(file: String, overrides: [String] = []) throws -> LoadedScenario {
        // The file is read once: its bytes give the hash, its text the tree.
        let data = try InputText.read(file: file)
        let text = try InputText.decode(data, file: file)
        let topLevel = try TreeNode.parse(yaml: text, file: file)
        var tree = try resolveExtends(topLevel, file: file, chain: [])
        // The default name is the file's own name, not that of a file it extends.
        if topLevel["name"] == nil {
            let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            tree = try TreePaths.set(tree, path: "name", value: TreeNode(.scalar(stem, isNull: false), tree.location), origin: tree.location)
        }
        var paths: [String] = []
        for text in overrides {
            let (path, value) = try TreePaths.parseAssignment(text)
            tree = try TreePaths.set(tree, path: path, value: value, origin: value.location)
            paths.append(path)
        }
        var loaded = try build(tree: tree, file: file)
        loaded.fileSHA256 = SHA256.hash(data: data).hex
        loaded.warnings += paths.flatMap { loaded.scenario.overrideWarnings(path: $0, what: "--set", alsoSet: paths) }
        return loaded
    }

    /// Checks a resolved tree and builds the scenario. The model's values
    /// and the events are checked even when the other failed, and their
    /// errors reported together (ErrorCollector). Without `hashingResolved`
    /// the resolved tree is not written out and hashed (`resolvedSHA256` is
    /// empty): a sweep builds each point's scenario this way, as the sweep's
    /// identity hashes its base and spec, and writing the YAML text was
    /// nearly half the instructions of a point's set-up.
    public static func build(tree: TreeNode, file: String, hashingResolved: Bool = true) throws -> LoadedScenario {
        let header = try ScenarioParser.header(tree)
        var errors = ErrorCollector()
        let parameters = try errors.attempt { try ScenarioParser.parameters(tree, start: header.start, end: header.end) }
        // An event day's values are checked again, so events are checked
        // only on valid values (else their days repeat the values' errors).
        let checked = try errors.attempt { try events(tree: tree, start: header.start, end: header.end, checkValues: parameters != nil) }
        // Targets need only the run's dates and countries, so they are
        // checked with the events, on valid values.
        var targets: [Target]?
        if let parameters {
            let run = Scenario(name: "", start: header.start, end: header.end, parameters: parameters)
            targets = try errors.attempt { try TargetParser.targets(tree["targets"], path: "targets", scenario: run) }
        }
        try errors.finish()
        guard let parameters, let (changes, notes) = checked, let targets else { throw DeportSimError.badInput(tree.location, "", "the scenario could not be checked") }
        let name = header.name ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        if name.isEmpty || name.contains("/") || name.hasPrefix(".") {
            throw DeportSimError.badInput(tree["name"]?.location, "name", "expected a name usable as a folder name (no '/', not starting with '.'), found '\(name)'")
        }
        var scenario = Scenario(name: name, description: header.description, start: header.start, end: header.end,
                                seed: header.seed, replications: header.replications, outputPeriod: header.period,
                                parameters: parameters, changes: changes, eventNotes: notes)
        scenario.warmupDays = header.warmupDays
        scenario.uncertainty = try UncertainParser.uncertainty(tree, scenario: scenario)
        let resolvedSHA256 = hashingResolved ? SHA256.hash(data: Data(tree.yaml().utf8)).hex : ""
        var loaded = LoadedScenario(scenario: scenario, tree: tree, file: file, fileSHA256: "",
                                    resolvedSHA256: resolvedSHA256,
                                    targets: targets)
        loaded.warnings = deprecationWarnings(tree: tree, notes: notes) + UncertainParser.warnings(scenario.uncertainty, scenario: scenario)
        return loaded
    }

    /// `border.restrictions.counted_share`, in the scenario or set by an
    /// event, is deprecated in favour of two streams and `counts` (docs/model.md 8.5).
    static func deprecationWarnings(tree: TreeNode, notes: [EventNote]) -> [String] {
        let path = "border.restrictions.counted_share"
        var warnings: [String] = []
        if let v = tree["border"]?["restrictions"]?["counted_share"] {
            warnings.append("warning: \(v.location.file):\(v.location.line):\(v.location.column): \(path) is deprecated: give encounters as border_patrol and ports and set border.restrictions.counts")
        }
        for note in notes where note.paths.contains(where: { $0 == path || $0.hasPrefix("border.restrictions") && path.hasPrefix($0) }) {
            warnings.append("warning: the event of \(note.date) sets \(path), which is deprecated: give encounters as border_patrol and ports and set border.restrictions.counts")
        }
        return warnings
    }

    /// Reads a file and the chain of files it extends (paths relative to
    /// the extending file), base first, then merges them.
    static func resolveExtends(_ tree: TreeNode, file: String, chain: [String]) throws -> TreeNode {
        let canonical = URL(fileURLWithPath: file).standardizedFileURL.path
        if chain.contains(canonical) {
            throw DeportSimError.badInput(SourceLocation(file: file, line: 0, column: 0), "extends",
                             "files extend each other in a loop: \((chain + [canonical]).joined(separator: " -> "))")
        }
        guard tree.entries != nil else {
            throw DeportSimError.badInput(tree.location, "", "expected a mapping of scenario keys at the top, found \(tree.found)")
        }
        guard let ext = tree["extends"] else {
            if let d = tree["delete"] {
                throw DeportSimError.badInput(d.location, "delete", "removes keys of the base a file extends, and this file has no `extends:`; remove the keys from the file itself")
            }
            return tree
        }
        // A path, or a list of candidate paths tried in order (calibrate
        // writes its base's absolute path and the relative one, so the
        // overlay loads when the results folder or the whole tree moves).
        let candidates = try (ext.items ?? [ext]).map { node -> String in
            guard let rel = node.scalarText, !rel.isEmpty else {
                throw DeportSimError.badInput(node.location, "extends", "expected the path of a scenario file (or a list of them), found \(node.found)")
            }
            return rel.hasPrefix("/") ? rel : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(rel).path
        }
        if candidates.count > 1, !candidates.contains(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw DeportSimError.badInput(ext.location, "extends", "no such file: \(candidates.joined(separator: ", nor "))")
        }
        let basePath = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) ?? candidates[0]
        if chain.count + 2 > Limits.extendsChain {
            throw DeportSimError.badInput(ext.location, "extends", "more than \(Limits.extendsChain) files extend one another (the limit)")
        }
        // A file that cannot be read at all is reported at this `extends:`
        // line; errors inside a readable base keep their own position.
        let baseTree: TreeNode
        do {
            baseTree = try TreeNode.load(file: basePath)
        } catch let e as DeportSimError where e.location?.file == basePath && e.location?.line == 0 {
            throw DeportSimError.badInput(ext.location, "extends", "cannot extend '\(basePath)': \(e.message)")
        }
        var base = try resolveExtends(baseTree, file: basePath, chain: chain + [canonical])
        var overlay = tree
        if var entries = tree.entries, let i = entries.firstIndex(where: { $0.key == "delete" }) {
            let deletions = entries.remove(at: i)
            overlay = TreeNode(.mapping(entries), tree.location)
            base = try delete(deletions, from: base, overlay: overlay)
        }
        return mergeScenario(base: base, overlay: overlay)
    }

    /// Applies an overlay's `delete:` to its resolved base, before the
    /// overlay's own values: a list of paths, or a mapping of paths to `~`.
    /// A key a scenario requires may be deleted only when the overlay gives
    /// it again (it is then replaced instead of merged).
    static func delete(_ node: TreeEntry, from base: TreeNode, overlay: TreeNode) throws -> TreeNode {
        let expected = "a list of paths to delete ([routes.ID, events.ID, ...]) or a mapping of paths to ~"
        var paths: [(String, SourceLocation)] = []
        if let items = node.value.items {
            for (i, item) in items.enumerated() {
                guard let path = item.scalarText, !path.isEmpty else {
                    throw DeportSimError.badInput(item.location, "delete.\(i)", "expected a path to delete, like routes.china-charter, found \(item.found)")
                }
                paths.append((path, item.location))
            }
        } else if let entries = node.value.entries {
            for e in entries {
                guard e.value.isNull else {
                    throw DeportSimError.badInput(e.value.location, "delete." + e.key, "expected ~ (a deleted key has no value; give new values outside delete:), found \(e.value.found)")
                }
                paths.append((e.key, e.keyLocation))
            }
        } else if !node.value.isNull {
            throw DeportSimError.badInput(node.value.location, "delete", "expected \(expected), found \(node.value.found)")
        }
        var tree = base
        for (path, location) in paths {
            if ScenarioKeys.isRequired(path) && TreePaths.get(overlay, path: path) == nil {
                throw DeportSimError.badInput(location, path, "cannot delete '\(path)': a scenario requires it; give its new value in this file instead (a key deleted and given again is replaced, not merged)")
            }
            tree = try TreePaths.remove(tree, path: path, origin: location)
        }
        return tree
    }

    /// An overlay's keys win and nested mappings merge; routes merge by id,
    /// and so do events with an id; the overlay's other events and its
    /// targets are added after the base's.
    static func mergeScenario(base: TreeNode, overlay: TreeNode) -> TreeNode {
        var entries = base.entries ?? []
        entries.removeAll { $0.key == "extends" }
        for e in overlay.entries ?? [] where e.key != "extends" {
            guard let i = entries.firstIndex(where: { $0.key == e.key }) else { entries.append(e); continue }
            switch e.key {
            case "events", "targets":
                entries[i].value = TreePaths.adding(e.value, to: entries[i].value, key: e.key)
            case "routes":
                guard var baseRoutes = entries[i].value.items, let newRoutes = e.value.items else { entries[i].value = e.value; continue }
                for route in newRoutes {
                    if let id = route["id"]?.scalarText, let k = baseRoutes.firstIndex(where: { $0["id"]?.scalarText == id }) {
                        var base = baseRoutes[k]
                        // A schedule kind in the overlay replaces the base's kind.
                        if let newSchedule = route["schedule"], let oldSchedule = base["schedule"],
                           let cleaned = TreePaths.replacingScheduleKinds(oldSchedule, with: newSchedule.entries?.map(\.key) ?? []),
                           var entries = base.entries, let i = entries.firstIndex(where: { $0.key == "schedule" }) {
                            entries[i].value = cleaned
                            base = TreeNode(.mapping(entries), base.location)
                        }
                        baseRoutes[k] = TreePaths.merge(base, route)
                    } else {
                        baseRoutes.append(route)
                    }
                }
                entries[i].value = TreeNode(.sequence(baseRoutes), e.value.location)
            default:
                entries[i].value = TreePaths.merge(entries[i].value, e.value)
            }
        }
        return TreeNode(.mapping(entries), overlay.location)
    }

    /// Applies the events, day by day in date order (file order within a
    /// day), and checks the values in force after each event day.
    static func events(tree: TreeNode, start: CivilDate, end: CivilDate, checkValues: Bool = true) throws -> ([ParameterChange], [EventNote]) {
        guard let node = tree["events"], !node.isNull else { return ([], []) }
        guard let items = node.items else { throw DeportSimError.badInput(node.location, "events", "expected a list of events, found \(node.found)") }
        struct Parsed { var date: CivilDate; var sets: [(String, TreeNode, SourceLocation)]; var note: String; var id: String? }
        var parsed: [Parsed] = []
        var ids: [String: Int] = [:]
        // Each event is checked on its own; their errors come together.
        var errors = ErrorCollector()
        for (i, item) in items.enumerated() { try errors.attempt {
            let r = try MappingReader(item, path: "events.\(i)", section: ScenarioKeys.event)
            var id: String?
            if let idNode = r.optional("id") {
                let text = try r.string("id")
                id = text
                if !InputText.isIdentifier(text) {
                    throw DeportSimError.badInput(idNode.location, r.key("id"), "expected an id of letters, digits, '_' or '-' that is not a number, found '\(text)'")
                }
                if let j = ids[text] {
                    let first = items[j]["id"]!.location
                    throw DeportSimError.badInput(idNode.location, r.key("id"), "duplicate event id '\(text)' (also events.\(j), at \(first.file):\(first.line):\(first.column)); give each event its own id")
                }
                ids[text] = i
            }
            let date = try r.date("date")
            if date < start || date > end {
                throw DeportSimError.badInput(item["date"]!.location, r.key("date"), "expected a date inside the run (\(start) to \(end)), found \(date)")
            }
            let setNode = try r.required("set", "a mapping of paths to values")
            guard let entries = setNode.entries, !entries.isEmpty else {
                throw DeportSimError.badInput(setNode.location, r.key("set"), "expected a mapping of paths to values, found \(setNode.found)")
            }
            var sets: [(String, TreeNode, SourceLocation)] = []
            for e in entries {
                for leaf in TreePaths.leaves(path: e.key, value: e.value) {
                    if let why = TreePaths.fixedAtStartReason(leaf) {
                        throw DeportSimError.badInput(e.keyLocation, r.key("set.") + e.key, "an event cannot set '\(leaf)': it \(why)")
                    }
                }
                sets.append((e.key, e.value, e.keyLocation))
            }
            parsed.append(Parsed(date: date, sets: sets, note: try r.string("note"), id: id))
        } }
        try errors.finish()
        if !checkValues { return ([], []) }
        // Stable sort: events of one day keep file order.
        let ordered = parsed.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
        var working = tree
        var changes: [ParameterChange] = []
        var notes: [EventNote] = []
        var k = 0
        while k < ordered.count {
            let day = ordered[k].date
            while k < ordered.count && ordered[k].date == day {
                for (path, value, loc) in ordered[k].sets {
                    working = try TreePaths.set(working, path: path, value: value, origin: loc)
                }
                notes.append(EventNote(date: day, note: ordered[k].note, paths: ordered[k].sets.map(\.0), id: ordered[k].id))
                k += 1
            }
            let parameters = try ScenarioParser.parameters(working, start: start, end: end)
            changes.append(ParameterChange(date: day, parameters: parameters))
        }
        return (changes, notes)
    }
}

extension Digest {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
