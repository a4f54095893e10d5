import Foundation
import Logging
import Testing

@testable import Orchestrator

@Suite struct LabPathContainmentTests {
    @Test("component prefixes, not string prefixes: a sibling whose name starts the same is outside")
    func lexical() throws {
        let scratch = LabTestDirectory()
        let paths = LabPaths(name: "x", root: scratch.path)
        _ = try scratch.makeDirectory("labs/x/nodes/a")
        _ = try scratch.makeDirectory("labs/x-old")
        #expect(paths.containsForRemoval(paths.directory))
        #expect(paths.containsForRemoval(paths.directory + "/nodes"))
        #expect(paths.containsForRemoval(paths.directory + "/nodes/a/pid"))
        #expect(!paths.containsForRemoval(scratch.path + "/labs/x-old"))
        #expect(!paths.containsForRemoval(scratch.path + "/labs/x-old/file"))
        #expect(!paths.containsForRemoval(paths.directory + "/nodes/../../x-old/file"))
        #expect(!paths.containsForRemoval(paths.journal))
        #expect(!paths.containsForRemoval("labs/x/nodes"))
        // Nothing to remove where the containing directory does not exist.
        #expect(!paths.containsForRemoval(paths.directory + "/nodes/b/pid"))
    }

    @Test("a symbolic link inside the lab directory cannot lead a removal outside; the link itself may go")
    func symbolicLink() throws {
        let scratch = LabTestDirectory()
        let paths = LabPaths(name: "x", root: scratch.path)
        _ = try scratch.makeDirectory("labs/x")
        let outside = try scratch.makeDirectory("outside")
        try FileManager.default.createSymbolicLink(atPath: paths.directory + "/link", withDestinationPath: outside)
        #expect(!paths.containsForRemoval(paths.directory + "/link/victim"))
        #expect(paths.containsForRemoval(paths.directory + "/link"))
    }

    @Test("teardown leaves a file reached through a symbolic link out of the lab directory, and says so")
    func teardownKeepsEscapedFile() throws {
        let scratch = LabTestDirectory()
        let paths = LabPaths(name: "x", root: scratch.path)
        _ = try scratch.makeDirectory("labs/x")
        let outside = try scratch.makeDirectory("outside")
        let victim = try scratch.write("outside/victim", "keep me\n")
        try FileManager.default.createSymbolicLink(atPath: paths.directory + "/link", withDestinationPath: outside)
        let inside = try scratch.write("labs/x/own", "remove me\n")
        let journal = try LabJournal(path: paths.journal)
        journal.record(.intent, [.directory(path: paths.directory), .file(path: paths.directory + "/link")])
        journal.record(.intent, [.file(path: inside), .file(path: paths.directory + "/link/victim")])
        try journal.commit()

        let outcome = try LabTeardown(paths: paths, logger: Logger(label: "test")).down()
        #expect(FileManager.default.fileExists(atPath: victim))
        #expect(!FileManager.default.fileExists(atPath: paths.directory))
        #expect(!FileManager.default.fileExists(atPath: paths.journal))
        #expect(!FileManager.default.fileExists(atPath: paths.lock))
        #expect(
            outcome.warnings == [
                "\(paths.directory)/link/victim is not inside \(paths.directory) once links are resolved; not removed"
            ])
    }
}
