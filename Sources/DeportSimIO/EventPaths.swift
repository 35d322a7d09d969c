import DeportSimAnalysis
import Foundation

/// Events named in paths (docs/model.md 9.1): `events.<id>.set.<path>` is
/// the value that the event with this id sets at `<path>` (a number names an
/// event by its position in the resolved list). `--set`, `--variant`,
/// sweeps and `--fit` change an event's value this way, a sweep's
/// `carry_into_events` sets a swept value in every event that sets its path,
/// and an overlay's `delete:` removes what a path names.
extension TreePaths {
    /// One assignment of an event's `set` mapping, named by a path.
    struct EventAssignment {
        var eventIndex: Int
        var entryIndex: Int
        /// Keys inside the assignment's value; empty when the assignment's
        /// key is the whole path.
        var inner: [String]
        /// `events.<id>.set.<assignment key>`, for messages.
        var label: String

        /// The assignment's value.
        func value(in root: TreeNode) -> TreeNode? {
            root["events"]?.items?[eventIndex]["set"]?.entries?[entryIndex].value
        }

        /// The tree with the assignment's value replaced by what `change`
        /// makes of it; nil removes the assignment.
        func replacing(in root: TreeNode, _ change: (TreeNode) throws -> TreeNode?) rethrows -> TreeNode {
            try updating(root, key: "events") { events in
                guard var items = events.items else { return events }
                items[eventIndex] = try updating(items[eventIndex], key: "set") { set in
                    guard var entries = set.entries else { return set }
                    if let changed = try change(entries[entryIndex].value) { entries[entryIndex].value = changed }
                    else { entries.remove(at: entryIndex) }
                    return TreeNode(.mapping(entries), set.location)
                }
                return TreeNode(.sequence(items), events.location)
            }
        }

        private func updating(_ node: TreeNode, key: String, _ change: (TreeNode) throws -> TreeNode) rethrows -> TreeNode {
            guard var entries = node.entries, let i = entries.firstIndex(where: { $0.key == key }) else { return node }
            entries[i].value = try change(entries[i].value)
            return TreeNode(.mapping(entries), node.location)
        }
    }

    /// The assignment that `events.<id>.set.<path>` names, or nil when the
    /// path does not have that form. An unknown event, or an event that
    /// does not set the path, is an error (with the closest id or path).
    static func eventAssignment(_ root: TreeNode, _ comps: [String], origin: SourceLocation) throws -> EventAssignment? {
        guard comps.count >= 4, comps[0] == "events", comps[2] == "set" else { return nil }
        guard let items = root["events"]?.items, !items.isEmpty else {
            throw DeportSimError.badInput(origin, "events.\(comps[1])", "no event '\(comps[1])': the scenario has no events")
        }
        let index = try elementIndex(items, comps[1], done: "events", origin: origin)
        let path = comps[3...].joined(separator: ".")
        guard let (entry, inner) = assignment(in: items[index], setting: path) else {
            let sets = (items[index]["set"]?.entries ?? []).flatMap { leaves(path: $0.key, value: $0.value) }
            throw DeportSimError.badInput(origin, comps.joined(separator: "."),
                                          "the event '\(comps[1])' does not set '\(path)' (it sets \(sets.joined(separator: ", ")))\(didYouMean(path, in: sets))")
        }
        let key = items[index]["set"]!.entries![entry].key
        return EventAssignment(eventIndex: index, entryIndex: entry, inner: inner, label: "events.\(comps[1]).set.\(key)")
    }

    /// Which assignment of an event sets `path`: the one whose key is the
    /// path, or whose value (a mapping or list) holds it; nil when none does.
    static func assignment(in event: TreeNode, setting path: String) -> (entry: Int, inner: [String])? {
        for (i, e) in (event["set"]?.entries ?? []).enumerated() {
            if e.key == path { return (i, []) }
            if path.hasPrefix(e.key + ".") {
                let inner = String(path.dropFirst(e.key.count + 1))
                if get(e.value, path: inner) != nil { return (i, inner.split(separator: ".").map(String.init)) }
            }
        }
        return nil
    }

    /// Sets `value` at `path` in every event that sets that path (a sweep's
    /// `carry_into_events`); returns the tree and those events' indices.
    public static func setInEvents(_ root: TreeNode, path: String, value: TreeNode,
                                   origin: SourceLocation) throws -> (tree: TreeNode, events: [Int]) {
        var tree = root
        var changed: [Int] = []
        for (i, event) in (root["events"]?.items ?? []).enumerated() {
            guard let (entry, inner) = assignment(in: event, setting: path) else { continue }
            let a = EventAssignment(eventIndex: i, entryIndex: entry, inner: inner, label: "events.\(i).set.\(path)")
            tree = try a.replacing(in: tree) { try set($0, inner[...], value: value, done: a.label, origin: origin) }
            changed.append(i)
        }
        return (tree, changed)
    }

    /// Removes what a path names: a key, a route by id, an event by id, a
    /// list element, or one assignment of an event (`events.<id>.set.<path>`).
    /// A path that names nothing is an error (with the closest key).
    public static func remove(_ root: TreeNode, path: String, origin: SourceLocation) throws -> TreeNode {
        let comps = try components(path, origin: origin)
        if let a = try eventAssignment(root, comps, origin: origin) {
            return try a.replacing(in: root) { value in
                a.inner.isEmpty ? nil : try remove(value, a.inner[...], done: a.label, origin: origin)
            }
        }
        return try remove(root, comps[...], done: "", origin: origin)
    }

    private static func remove(_ node: TreeNode, _ comps: ArraySlice<String>, done: String, origin: SourceLocation) throws -> TreeNode {
        guard let head = comps.first else { return node }
        let here = done.isEmpty ? head : done + "." + head
        let rest = comps.dropFirst()
        switch node.value {
        case .mapping(var entries):
            guard let i = entries.firstIndex(where: { $0.key == head }) else {
                let owner = done.isEmpty ? "the scenario" : "'\(done)'"
                throw DeportSimError.badInput(origin, here, "nothing to delete: \(owner) has no '\(head)'\(didYouMean(head, in: entries.map(\.key)))")
            }
            if rest.isEmpty { entries.remove(at: i) }
            else { entries[i].value = try remove(entries[i].value, rest, done: here, origin: origin) }
            return TreeNode(.mapping(entries), node.location)
        case .sequence(var items):
            let i = try elementIndex(items, head, done: done, origin: origin)
            if rest.isEmpty { items.remove(at: i) }
            else { items[i] = try remove(items[i], rest, done: here, origin: origin) }
            return TreeNode(.sequence(items), node.location)
        case .scalar:
            throw DeportSimError.badInput(origin, here, "nothing to delete: '\(done)' holds a single value, so it has no '\(head)'")
        }
    }
}
