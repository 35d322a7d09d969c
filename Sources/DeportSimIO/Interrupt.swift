import Dispatch
import Foundation

/// On Ctrl-C (SIGINT) or SIGTERM, removes what an unfinished command left:
/// the temporary files of results not yet renamed into place, and an output
/// folder the command created that is still empty. Finished result files
/// are never touched, so a folder holds whole results or none.
public final class InterruptCleanup: @unchecked Sendable {
    public static let shared = InterruptCleanup()
    private let lock = NSLock()
    private var temporaryFiles: Set<String> = []
    private var createdFolders: [String] = []
    /// Result files this command renamed into place, removed when the
    /// command then fails, so a failed command leaves no result that looks
    /// complete (`removeAfterFailure`).
    private var committedFiles: [String] = []
    private var sources: [DispatchSourceSignal] = []
    /// Said after the interrupt message when the command can resume (a sweep).
    public var resumeHint: String?

    /// Starts listening; call once, early in the process.
    public func install() {
        for (sig, status) in [(SIGINT, ExitStatus.interrupted), (SIGTERM, ExitStatus.terminated)] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                cleanUp()
                let hint = resumeHint.map { "; " + $0 } ?? ""
                FileHandle.standardError.write(Data("\ninterrupted: no result files were left half-written\(hint)\n".utf8))
                exit(status.rawValue)
            }
            source.resume()
            sources.append(source)
        }
    }

    func add(temporaryFile path: String) { lock.lock(); temporaryFiles.insert(path); lock.unlock() }
    func remove(temporaryFile path: String) { lock.lock(); temporaryFiles.remove(path); lock.unlock() }
    func add(createdFolder path: String) { lock.lock(); createdFolders.append(path); lock.unlock() }
    func add(committedFile path: String) { lock.lock(); committedFiles.append(path); lock.unlock() }

    /// After a command failed: removes the result files it finished, its
    /// temporary files and the folders it created that are then empty.
    /// A sweep's journal is not a result file and stays, so it resumes.
    public func removeAfterFailure() {
        lock.lock()
        for path in committedFiles { unlink(path) }
        committedFiles.removeAll()
        lock.unlock()
        cleanUp()
    }

    func cleanUp() {
        lock.lock(); defer { lock.unlock() }
        for path in temporaryFiles { unlink(path) }
        // rmdir removes a folder only when it is empty.
        for folder in createdFolders.reversed() { rmdir(folder) }
    }
}
