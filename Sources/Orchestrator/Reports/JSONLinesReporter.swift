public import Foundation
public import PlanModel

#if canImport(Glibc)
    import Glibc
#endif

/// One JSON object per line for each run event: `--json` writes them to stdout, and every run writes them
/// (with the whole plan first) to its journal file, one write per event, so a crash loses nothing done.
public final class JSONLinesReporter: RunObserver {
    /// A line of the event stream.
    public struct Record: Codable, Sendable {
        public var event: String
        public var time: Date
        public var plan: Plan?
        public var schedule: Schedule?
        public var nodes: [NodeName]?
        public var unit: Schedule.Unit?
        public var result: UnitResult?
        public var step: String?
        public var stepIndex: Int?
        public var status: String?
        public var reason: String?
        public var report: RunReport?
    }

    private let fd: Int32
    private let ownsDescriptor: Bool
    private let includesPlan: Bool
    private let encoder: JSONEncoder

    /// Writes to an open descriptor (stdout for `--json`).
    public init(descriptor: Int32, includesPlan: Bool = false) {
        self.fd = descriptor
        self.ownsDescriptor = false
        self.includesPlan = includesPlan
        self.encoder = Self.makeEncoder()
    }

    /// Creates (or truncates) a journal file, with its directory.
    /// - Throws: `SystemError` when the file cannot be created.
    public init(journalPath: String) throws(SystemError) {
        let directory = (journalPath as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let fd = open(journalPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError.last("open", "cannot create the run journal \(journalPath)") }
        self.fd = fd
        self.ownsDescriptor = true
        self.includesPlan = true
        self.encoder = Self.makeEncoder()
    }

    deinit { if ownsDescriptor { close(fd) } }

    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public func handle(_ event: RunEvent) {
        var record = Record(event: "", time: Date())
        switch event {
        case .started(let plan, let schedule, let nodes):
            record.event = "run_started"
            record.plan = includesPlan ? plan : nil
            record.schedule = includesPlan ? schedule : nil
            record.step = plan.title
            record.nodes = nodes
        case .unitStarted(let unit):
            record.event = "unit_started"
            record.unit = unit
        case .unitFinished(let result):
            record.event = "unit_finished"
            record.result = result
        case .stepFinished(let index, let results):
            record.event = "step_finished"
            record.stepIndex = index
            record.step = results.first?.stepID
            record.status =
                results.contains { $0.status == .failed }
                ? "failed" : results.allSatisfy { $0.status == .skipped } ? "skipped" : "passed"
        case .stopping(let reason):
            record.event = "stopping"
            record.reason = reason
        case .finished(let report):
            record.event = "run_finished"
            record.report = report
        }
        guard var data = try? encoder.encode(record) else { return }
        data.append(UInt8(ascii: "\n"))
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let count = Glibc.write(fd, base + offset, raw.count - offset)
                if count <= 0 { return }
                offset += count
            }
        }
    }

    /// Reads a journal back: the plan and the results (for `testbed render` of a finished run).
    public static func readJournal(path: String) -> (plan: Plan, results: [UnitResult], report: RunReport?)? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var plan: Plan?
        var results: [UnitResult] = []
        var report: RunReport?
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let record = try? decoder.decode(Record.self, from: Data(line)) else { continue }
            if let value = record.plan { plan = value }
            if let value = record.result { results.append(value) }
            if let value = record.report { report = value }
        }
        return plan.map { ($0, results, report) }
    }
}
