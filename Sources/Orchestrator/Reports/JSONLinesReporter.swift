import Foundation
public import PlanModel
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One JSON object per line for each run event: `--json` writes them to stdout, and every run writes them
/// (with the whole plan first) to its journal file, one write per event, so a crash loses nothing done.
///
/// A record that cannot be written to a journal is never dropped in silence: the reporter keeps the first
/// failure, and asks the run to stop (`stopOnFailure`) so nothing runs unrecorded.
public final class JSONLinesReporter: RunObserver, Sendable {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let includesPlan: Bool
    private let stopOnFailure: StopSignal?
    private let failed = Mutex<String?>(nil)
    /// What the journal's `run_started` record carries beyond the plan and schedule (see `attach`).
    private let startExtras = Mutex<(states: [NodeName: NodeState]?, resume: ResumePoint?)>((nil, nil))

    /// Writes to an open descriptor (stdout for `--json`).
    public init(descriptor: Int32, includesPlan: Bool = false) {
        self.fd = descriptor
        self.ownsDescriptor = false
        self.includesPlan = includesPlan
        self.stopOnFailure = nil
    }

    /// Creates (or truncates) a journal file, with its directory.
    /// - Parameters:
    ///   - stopOnFailure: Asked to stop the run when a record cannot be written.
    /// - Throws: `SystemError` when the file cannot be created.
    public init(journalPath: String, stopOnFailure: StopSignal? = nil) throws(SystemError) {
        let directory = (journalPath as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.fd = try SystemCall.open(journalPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        self.ownsDescriptor = true
        self.includesPlan = true
        self.stopOnFailure = stopOnFailure
    }

    deinit { if ownsDescriptor { SystemCall.close(fd) } }

    /// Why a record could not be written, if one could not.
    public var failure: String? { failed.withLock { $0 } }

    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Puts the observed initial states and the resume point into the `run_started` record, so a later
    /// `--resume` can predict every node's state from the journal alone.
    public func attach(initialStates: [NodeName: NodeState], resume: ResumePoint?) {
        startExtras.withLock { $0 = (initialStates, resume) }
    }

    public func handle(_ event: RunEvent) {
        guard failure == nil else { return }
        var record = RunJournalRecord(event, includesPlan: includesPlan)
        if case .started = event, includesPlan {
            (record.initialStates, record.resume) = startExtras.withLock { $0 }
        }
        do {
            var data = try Self.makeEncoder().encode(record)
            data.append(UInt8(ascii: "\n"))
            try SystemCall.writeAll(fd, Array(data))
        } catch {
            let reason = "a \(record.event.rawValue) record could not be written: \(error)"
            failed.withLock { $0 = $0 ?? reason }
            stopOnFailure?.request("the run journal cannot be written (\(reason))")
        }
    }
}
