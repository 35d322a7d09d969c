import DeportSimAnalysis
import DeportSimCore
import Foundation

extension FitParameter {
    /// Parses `PATH=LOW..HIGH` against the resolved scenario.
    public static func parse(_ text: String, tree: TreeNode) throws -> FitParameter {
        let origin = SourceLocation(file: "--fit \(text)", line: 0, column: 0)
        guard let eq = text.firstIndex(of: "="), let dots = text.range(of: "..") else {
            throw DeportSimError.badInput(origin, "", "expected PATH=LOW..HIGH, like countries.CHN.encounters.per_day=20..120")
        }
        let path = String(text[..<eq])
        let lowText = String(text[text.index(after: eq)..<dots.lowerBound]), highText = String(text[dots.upperBound...])
        guard let low = Double(lowText), let high = Double(highText), low.isFinite, high.isFinite else {
            throw DeportSimError.badInput(origin, path, "expected numeric bounds LOW..HIGH, found '\(lowText)..\(highText)'")
        }
        guard low < high else { throw DeportSimError.badInput(origin, path, "expected LOW < HIGH, found \(lowText)..\(highText)") }
        if let head = TreePaths.runSetting(of: path) {
            throw DeportSimError.badInput(origin, path, "calibration fits model values; '\(head)' is not one (the seed is --seed, the same for every evaluation)")
        }
        // An event's value is named by the event's id, so the calibrated
        // overlay can change that event (overlays merge events by id).
        let comps = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if let a = try TreePaths.eventAssignment(tree, comps, origin: origin),
           tree["events"]?.items?[a.eventIndex]["id"]?.scalarText != comps[1] {
            throw DeportSimError.badInput(origin, path, "name the event by its id (events.<id>.set.<path>; give the event an `id:`), so the calibrated overlay can refer to it")
        }
        guard let current = TreePaths.get(tree, path: path) else {
            throw DeportSimError.badInput(origin, path, "no value at this path in the scenario (fitted values must exist; set a start value first)")
        }
        guard let text = current.scalarText, Double(text) != nil else {
            throw DeportSimError.badInput(origin, path, "expected a numeric value at this path, found \(current.found)")
        }
        return FitParameter(path: path, low: low, high: high, integer: TreePaths.isWholeNumber(path))
    }
}

/// Fitted values in scenario trees: setting them, and the overlay `calibrate` writes.
extension Calibration {
    /// The scenario with fitted values set.
    public static func tree(_ base: TreeNode, _ fits: [FitParameter], _ values: [Double]) throws -> TreeNode {
        var tree = base
        for (p, x) in zip(fits, values) {
            let loc = SourceLocation(file: "--fit \(p.path)", line: 0, column: 0)
            tree = try TreePaths.set(tree, path: p.path, value: TreeNode(.scalar(formatNumber(x), isNull: false), loc), origin: loc)
        }
        return tree
    }

    /// A small overlay holding only the fitted values: routes are written
    /// by id (overlays merge them by id), lists whole. `extends` lists the
    /// base's candidate paths (absolute first, then relative to the
    /// overlay's folder): the first that exists is loaded. With
    /// `posterior`, the overlay draws the fitted values from that file
    /// (`uncertain: { from: posterior.csv }`) once the scenario format has
    /// `uncertain:`; until then the line is written as a comment and the
    /// fitted values hold the best draw.
    public static func overlay(fitted: TreeNode, paths: [String], extends: [String], name: String, header: [String],
                               posterior: String? = nil) -> String {
        var overlay = TreeNode(.mapping([]), fitted.location)
        for path in paths {
            let comps = path.split(separator: ".").map(String.init)
            let piece = (try? TreePaths.eventAssignment(fitted, comps, origin: fitted.location))
                .flatMap { eventSlice(fitted, $0) } ?? slice(fitted, comps[...], done: "")
            overlay = ScenarioLoader.mergeScenario(base: overlay, overlay: piece)
        }
        let body = overlay.yaml()
        var text = header.map { "# " + $0 }.joined(separator: "\n")
            + "\nextends: [" + extends.map(doubleQuoted).joined(separator: ", ") + "]\nname: \(name)\n"
        if let posterior {
            let line = "uncertain: { from: \(doubleQuoted(posterior)) }\n"
            text += posteriorInputsSupported ? line
                : "# The scenario format of this build has no `uncertain:` inputs yet; when it has, this line draws the fitted values\n"
                + "# from the posterior (replication r takes draw r mod N):\n# " + line
        }
        return text + body
    }

    /// Whether scenarios accept `uncertain:` (issue 13, item 1): the switch
    /// that turns the posterior line of calibrated.yaml on.
    static var posteriorInputsSupported: Bool { ScenarioKeys.top.keys.contains("uncertain") }

    /// A YAML double-quoted scalar (JSON string escapes are valid YAML).
    static func doubleQuoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `events: [{ id, set: { KEY: value } }]` with the fitted value of one
    /// event assignment: merged by id into the base's event.
    private static func eventSlice(_ fitted: TreeNode, _ a: TreePaths.EventAssignment) -> TreeNode? {
        guard let event = fitted["events"]?.items?[a.eventIndex], let id = event["id"],
              let entry = event["set"]?.entries?[a.entryIndex] else { return nil }
        let set = TreeNode(.mapping([TreeEntry(key: entry.key, keyLocation: entry.keyLocation,
                                               value: slice(entry.value, a.inner[...], done: ""))]), event.location)
        let idEntry = TreeEntry(key: "id", keyLocation: event.location, value: id)
        let one = TreeNode(.mapping([idEntry, TreeEntry(key: "set", keyLocation: event.location, value: set)]), event.location)
        return TreeNode(.mapping([TreeEntry(key: "events", keyLocation: fitted.location,
                                            value: TreeNode(.sequence([one]), fitted.location))]), fitted.location)
    }

    private static func slice(_ node: TreeNode, _ comps: ArraySlice<String>, done: String) -> TreeNode {
        guard let head = comps.first else { return node }
        if let items = node.items {
            if done == "routes", let route = items.first(where: { $0["id"]?.scalarText == head }) {
                let inner = slice(route, comps.dropFirst(), done: "")
                let idEntry = TreeEntry(key: "id", keyLocation: route.location, value: route["id"]!)
                return TreeNode(.sequence([TreePaths.merge(TreeNode(.mapping([idEntry]), route.location), inner)]), node.location)
            }
            return node  // a list element: write the whole list
        }
        guard let child = node[head] else { return node }
        let here = done.isEmpty ? head : done + "." + head
        return TreeNode(.mapping([TreeEntry(key: head, keyLocation: node.location, value: slice(child, comps.dropFirst(), done: here))]), node.location)
    }
}
