public import Foundation
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
    private let context = Mutex<RunContext?>(nil)
    private let startedAt = Mutex<ContinuousClock.Instant?>(nil)

    /// What a journal's `run_started` record carries beyond the plan: what a report needs to draw the run.
    public struct RunContext: Sendable {
        public var topology: Topology
        public var initialStates: [NodeState]
        public var captures: [PacketCaptureFile]
        /// For a resumed run: the run it continues and where (a later `--resume` carries its finished units).
        public var resume: ResumePoint?

        public init(
            topology: Topology, initialStates: [NodeState] = [], captures: [PacketCaptureFile] = [],
            resume: ResumePoint? = nil
        ) {
            self.topology = topology
            self.initialStates = initialStates
            self.captures = captures
            self.resume = resume
        }
    }

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

    /// Sets what the journal's `run_started` record will carry with the plan; call it before the run starts.
    public func describe(_ context: RunContext) { self.context.withLock { $0 = context } }

    /// Why a record could not be written, if one could not.
    public var failure: String? { failed.withLock { $0 } }

    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public func handle(_ event: RunEvent) {
        guard failure == nil else { return }
        var record = RunJournalRecord(event, includesPlan: includesPlan)
        let now = ContinuousClock.now
        let start = startedAt.withLock { start in
            if record.event == .runStarted || start == nil { start = now }
            return start ?? now
        }
        record.elapsed = (now - start).seconds
        if record.event == .runStarted, includesPlan, let context = context.withLock({ $0 }) {
            record.topology = context.topology
            record.initialStates = context.initialStates.isEmpty ? nil : context.initialStates
            record.captures = context.captures.isEmpty ? nil : context.captures
            record.resume = context.resume
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
