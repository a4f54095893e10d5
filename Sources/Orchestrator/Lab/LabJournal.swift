import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The append-only record of everything a lab created, kept beside (not inside) the lab directory.
///
/// Records are appended and `fsync`ed in batches before the objects they name are created, so after a
/// crash at any point `lab down` can still find every object. Teardown replays the journal in reverse.
final class LabJournal {
    let path: String
    private let fd: Int32
    private var pending: [LabJournalRecord] = []

    /// Opens (creating if needed) the journal for appending.
    init(path: String) throws(LabError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LabError.io("cannot open the lab journal \(path)", SystemError.last("open")) }
    }

    deinit { close(fd) }

    /// Queues records; `commit()` writes and syncs them.
    func record(_ event: LabJournalRecord.Event, _ objects: [LabObject]) {
        let now = Date().timeIntervalSince1970
        pending += objects.map { LabJournalRecord(event: event, object: $0, time: now) }
    }

    func recordCreated(_ object: LabObject, pid: Int32? = nil, startTime: UInt64? = nil, inode: UInt64? = nil) {
        pending.append(
            LabJournalRecord(
                event: .created, object: object, pid: pid, startTime: startTime, inode: inode,
                time: Date().timeIntervalSince1970))
    }

    func recordComplete() {
        pending.append(LabJournalRecord(event: .complete, time: Date().timeIntervalSince1970))
    }

    /// Writes the queued records and waits until they are on disk.
    func commit() throws(LabError) {
        guard !pending.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes: [UInt8] = []
        for record in pending {
            guard let data = try? encoder.encode(record) else { continue }
            bytes += data
            bytes.append(UInt8(ascii: "\n"))
        }
        pending.removeAll()
        do {
            try SystemCall.writeAll(fd, bytes, until: .now + .seconds(30))
        } catch {
            throw LabError.io("cannot write the lab journal \(path)", error)
        }
        guard fsync(fd) == 0 else {
            throw LabError.io("cannot sync the lab journal \(path)", SystemError.last("fsync"))
        }
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
