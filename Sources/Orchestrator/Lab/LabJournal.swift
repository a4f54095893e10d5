import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The append-only record of everything a lab created, kept beside (not inside) the lab directory.
///
/// Records are appended and `fsync`ed in batches before the objects they name are created, so after a
/// crash at any point `lab down` can still find every object. Teardown replays the journal in reverse.
///
/// A record that cannot be encoded or a batch that cannot be written is an error at once: no record is ever
/// dropped, because an object whose record is missing would be left behind by teardown. After an error the
/// journal refuses every further commit, so the caller stops before creating anything else.
final class LabJournal {
    let path: String
    private let fd: Int32
    private var pending: [LabJournalRecord] = []
    private var failure: LabError?

    /// Opens (creating if needed) the journal for appending.
    init(path: String) throws(LabError) {
        self.path = path
        do {
            fd = try SystemCall.open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        } catch {
            throw LabError.io("cannot open the lab journal \(path)", error)
        }
    }

    deinit { SystemCall.close(fd) }

    /// Queues records; `commit()` writes and syncs them.
    func record(_ event: LabJournalRecord.Event, _ objects: [LabObject]) {
        pending += objects.map { LabJournalRecord(event: event, object: $0, time: timestamp(for: $0)) }
    }

    func recordCreated(_ object: LabObject, pid: Int32? = nil, startTime: UInt64? = nil, inode: UInt64? = nil) {
        pending.append(
            LabJournalRecord(
                event: .created, object: object, pid: pid, startTime: startTime, inode: inode,
                time: timestamp(for: object)))
    }

    func recordComplete() {
        pending.append(LabJournalRecord(event: .complete, time: timestamp(for: nil)))
    }

    /// Queues a record as it is (for tests of records that cannot be encoded).
    func queue(_ record: LabJournalRecord) {
        pending.append(record)
    }

    /// Writes the queued records and waits until they are on disk; nothing of the batch is written when one of
    /// its records cannot be encoded.
    /// - Throws: `LabError.io` naming the record that cannot be encoded, or the write or sync that failed; and
    ///   again for every later commit.
    func commit() throws(LabError) {
        if let failure { throw failure }
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes: [UInt8] = []
        for record in batch {
            do {
                bytes += try encoder.encode(record)
            } catch {
                throw fail(
                    LabError(
                        .io, "cannot encode the lab journal record '\(record)' of \(path)",
                        hint: "this is a bug in testbed; nothing the record names was created", cause: "\(error)"))
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        do {
            try SystemCall.writeAll(fd, bytes, until: .now + .seconds(30))
            try SystemCall.fsync(fd)
        } catch {
            throw fail(LabError.io("cannot write the lab journal \(path)", error))
        }
    }

    private func fail(_ error: LabError) -> LabError {
        failure = error
        return error
    }

    /// The time of a new record. Under the fault `TESTBED_FAULT_FAIL=journal-encode:<prefix>`, records of objects
    /// whose description starts with the prefix get a time JSON cannot hold (NaN), so tests can make a real encode
    /// failure happen at a chosen step of `lab up`.
    private func timestamp(for object: LabObject?) -> Double {
        if let prefix = FaultInjection.failure("journal-encode"), let object, object.description.hasPrefix(prefix) {
            return .nan
        }
        return Date().timeIntervalSince1970
    }

    /// Reads a journal; lines that do not parse (a torn last write) are skipped.
    static func read(path: String) -> [LabJournalRecord]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            try? decoder.decode(LabJournalRecord.self, from: Data(line))
        }
    }
}
