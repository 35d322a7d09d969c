import Foundation
import Testing

/// The repository stands on its own: a clone with nothing beside it has the
/// model document, the data and every test fixture. The team's original
/// brief and data lived in a folder beside the repository; nothing may point
/// there any more, or a user's clone would miss what it names.
@Suite("Self-contained repository")
struct SelfContainedTests {
    /// Built from pieces so that this file does not contain what it looks for.
    static let outsideFolder = ".." + "/" + "shared"

    /// The tracked files (`git ls-files`); every file but the build folder
    /// and hidden folders when the tree is not a git checkout.
    static func trackedFiles() throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", packageRoot.path, "ls-files", "-z"]
        let out = temporaryFolder().appendingPathComponent("ls-files")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        if p.terminationStatus == 0 {
            return try Data(contentsOf: out).split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        }
        var files: [String] = []
        let walker = FileManager.default.enumerator(at: packageRoot, includingPropertiesForKeys: [.isRegularFileKey],
                                                    options: [.skipsHiddenFiles])
        while let url = walker?.nextObject() as? URL {
            if url.lastPathComponent == ".build" { walker?.skipDescendants(); continue }
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                files.append(String(url.path.dropFirst(packageRoot.path.count + 1)))
            }
        }
        return files
    }

    @Test func noTrackedFileRefersToTheFolderBesideTheRepository() throws {
        let files = try Self.trackedFiles()
        #expect(files.contains("docs/model.md") && files.contains("data/README.md"), "expected a listing of the repository, found \(files.count) files")
        let needle = Data(Self.outsideFolder.utf8)
        var offenders: [String] = []
        for file in files {
            let data = try Data(contentsOf: packageRoot.appendingPathComponent(file))
            guard data.range(of: needle) != nil else { continue }
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let numbers = lines.indices.filter { lines[$0].contains(Self.outsideFolder) }.map { String($0 + 1) }
            offenders.append("\(file):\(numbers.joined(separator: ","))")
        }
        #expect(offenders.isEmpty, "these files refer to \(Self.outsideFolder), which a clone does not have: \(offenders.joined(separator: "; "))")
    }
}
