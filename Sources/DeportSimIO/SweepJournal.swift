import DeportSimAnalysis
import Crypto
import DeportSimCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The record of finished points that lets a killed sweep resume.
///
/// One append-only file per output folder (`.partial/journal`). Its first
/// line names the sweep (scenario, spec and shard hashes); then each finished
/// point is one record, written with a single `write`:
///
///     @ <point> <payload bytes> <FNV-1a 64 of the payload, hex>\n<payload>
///
/// where the payload is the point's lines of points.csv, outcomes.csv and
/// outcomes_summary.csv. A kill (SIGINT, SIGKILL, power loss) can leave at
/// most a torn last record; on opening, the first record that is short or
/// fails its checksum and everything after it are cut off, so a point is
/// either wholly recorded or run again. An exclusive `flock` keeps two
/// sweeps from writing one folder; the kernel drops it when a process dies.
final class SweepJournal {
    static let magic = "deportsim sweep journal v1"
    let path: String
    private let fd: Int32
    /// The payloads of the recorded points.
    private(set) var records: [Int: String] = [:]

    init(folder: String, identity: String) throws {
        let dir = folder + "/.partial"
        try makeOutputFolder(dir)
        path = dir + "/journal"
        fd = open(path, O_RDWR | O_CREAT, 0o644)
        if fd < 0 { throw DeportSimError.outputFailure(path: path, "cannot open the sweep journal: \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw DeportSimError.journal(path: path, "another deportsim sweep is writing this folder (its journal is locked); wait for it or use another --out")
        }
        let header = "\(SweepJournal.magic) \(identity)\n"
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        if bytes.isEmpty || !bytes.contains(0x0a) {
            // New, or killed while writing the header line: start afresh.
            try truncate(to: 0)
            try writeAll(Array(header.utf8))
            return
        }
        let firstLine = String(decoding: bytes[..<bytes.firstIndex(of: 0x0a)!], as: UTF8.self) + "\n"
        if firstLine != header {
            close(fd)
            throw DeportSimError.journal(path: path, "this folder holds an unfinished sweep of another scenario, spec or shard; finish it with its own command, delete the folder, or use another --out")
        }
        var offset = header.utf8.count
        while offset < bytes.count {
            guard let record = SweepJournal.record(bytes, at: offset) else { break }
            if records[record.point] == nil { records[record.point] = record.payload }
            offset = record.end
        }
        if offset < bytes.count { try truncate(to: offset) }
        lseek(fd, 0, SEEK_END)
    }

    deinit { close(fd) }

    /// The record starting at `offset`, or nil when it is torn or corrupt.
    static func record(_ bytes: [UInt8], at offset: Int) -> (point: Int, payload: String, end: Int)? {
        guard let nl = bytes[offset...].firstIndex(of: 0x0a) else { return nil }
        let fields = String(decoding: bytes[offset..<nl], as: UTF8.self).split(separator: " ")
        guard fields.count == 4, fields[0] == "@", let point = Int(fields[1]), let length = Int(fields[2]),
              length >= 0, nl + 1 + length <= bytes.count else { return nil }
        let payload = Array(bytes[(nl + 1)..<(nl + 1 + length)])
        guard String(checksum(payload), radix: 16) == fields[3] else { return nil }
        return (point, String(decoding: payload, as: UTF8.self), nl + 1 + length)
    }

    /// FNV-1a 64 of a payload, the hash the streams' seeds use. Bytes that
    /// are not UTF-8 (a torn write) decode to U+FFFD and so fail the check.
    static func checksum(_ bytes: [UInt8]) -> UInt64 { StreamSeed.fnv1a64(String(decoding: bytes, as: UTF8.self)) }

    /// Appends a finished point.
    func append(point: Int, payload: String) throws {
        let body = Array(payload.utf8)
        try writeAll(Array("@ \(point) \(body.count) \(String(SweepJournal.checksum(body), radix: 16))\n".utf8) + body)
        records[point] = payload
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw DeportSimError.outputFailure(path: path, "cannot write the sweep journal: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }

    private func truncate(to length: Int) throws {
        if ftruncate(fd, off_t(length)) != 0 {
            throw DeportSimError.outputFailure(path: path, "cannot repair the sweep journal: \(String(cString: strerror(errno)))")
        }
        lseek(fd, off_t(length), SEEK_SET)
    }

    /// Removes the journal once the final files are in place.
    func remove() {
        unlink(path)
        rmdir((path as NSString).deletingLastPathComponent)
    }
}
