import Foundation
import Testing

@testable import Orchestrator

@Suite struct LabJournalTests {
    @Test("a record that cannot be encoded is an error naming it; nothing of its batch is written; later commits fail")
    func unencodableRecord() throws {
        let scratch = LabTestDirectory()
        let path = scratch.path + "/lab.journal"
        let journal = try LabJournal(path: path)
        journal.record(.intent, [.file(path: "/lab/a")])
        journal.queue(LabJournalRecord(event: .intent, object: .link(name: "seg0", kind: "bridge"), time: .nan))
        #expect {
            try journal.commit()
        } throws: { error in
            guard let error = error as? LabError else { return false }
            return error.code == .io
                && error.message
                    == "cannot encode the lab journal record 'intent bridge seg0 in the switch namespace' of \(path)"
                && error.cause?.contains("invalidValue") == true
        }
        #expect(LabJournal.read(path: path) == [])

        journal.record(.intent, [.file(path: "/lab/b")])
        #expect(throws: LabError.self) { try journal.commit() }
        #expect(LabJournal.read(path: path) == [])
    }

    @Test("a journal that cannot be opened is an error at once")
    func unopenable() throws {
        let scratch = LabTestDirectory()
        let path = try scratch.makeDirectory("lab.journal")
        #expect {
            _ = try LabJournal(path: path)
        } throws: { error in
            guard let error = error as? LabError else { return false }
            return error.code == .io && error.message == "cannot open the lab journal \(path)"
                && error.cause == "\(path): open: Is a directory"
        }
    }
}
