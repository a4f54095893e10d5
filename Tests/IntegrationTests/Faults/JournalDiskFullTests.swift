import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The fault suite: the journal's file system full half-way through a run (a small tmpfs mounted over the
/// runs directory, filled by a file): the run stops cleanly and says why; once space is back `--resume`
/// finishes it in the end state of an uninterrupted run.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(10)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class JournalDiskFullTests {
        let lab = LabTestHome()
        var home: String { lab.path }
        var topology: String { lab.netsukuku }
        let nodes = ["alfa", "beta"]

        func plan() throws -> String {
            try lab.write(
                "full.yaml",
                """
                steps:
                  - {id: one, node: alfa, run: ip address add 10.0.0.32/32 dev lo}
                  - {id: two, node: beta, run: ip address add 10.0.0.40/32 dev lo}
                  - {id: three, node: alfa, run: ip route add 10.9.0.0/24 dev lo}
                  - {id: four, node: beta, run: ip route add 10.8.0.0/24 dev lo table 100}
                  - {id: five, node: alfa, run: ip address add 10.0.0.35/32 dev lo}
                  - {id: six, node: beta, run: ip address add 10.0.0.41/32 dev lo}

                """)
        }

        static func freeBytes(_ path: String) -> Int {
            var info = statvfs()
            guard statvfs(path, &info) == 0 else { return 0 }
            return Int(info.f_bavail) * Int(info.f_bsize)
        }

        /// The bytes the regular files of a run directory other than its journal take on tmpfs (whole 4 KiB pages;
        /// directories take none).
        static func otherFilesBytes(in directory: String, besides journal: String) throws -> Int {
            let files = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
            return try files.map { directory + "/" + $0 }.filter { $0 != journal }.reduce(0) { sum, path in
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                guard attributes[.type] as? FileAttributeType == .typeRegular else { return sum }
                let size = (attributes[.size] as? Int) ?? 0
                return sum + (size + 4095) / 4096 * 4096
            }
        }

        @Test("the journal's disk full mid-run: the run stops and says so; with space back --resume finishes it")
        func diskFull() throws {
            let runs = home + "/runs"
            try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
            let mount = try ProcessRunner.run("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "testbed-full", runs])
            try #require(mount.status.isSuccess, "\(mount.stderrText)")
            defer { _ = try? ProcessRunner.run("/bin/umount", [runs]) }
            let plan = try plan()
            // An uninterrupted run first: its end state, and how large its journal is.
            let whole = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan], home: home)
            #expect(whole.status == .exited(0), "\(whole.stdoutText)\(whole.stderrText)")
            let expected = try FaultTestSupport.snapshot(topology: topology, nodes: nodes, home: home)
            let journal = try #require(
                whole.stdoutText.split(separator: "\n").first { $0.hasPrefix("journal: ") }.map {
                    String($0.dropFirst("journal: ".count))
                })
            let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
            // The first records name the plan and the nodes' initial states: a resume needs them whole.
            let head = lines.prefix(2).reduce(0) { $0 + $1.utf8.count + 1 }
            let total = lines.reduce(0) { $0 + $1.utf8.count + 1 }
            // The run directory holds more than the journal (the initial-state snapshot that `reset` uses, written
            // before the first unit): room for all of that, whole pages each as tmpfs counts them.
            let directory = (journal as NSString).deletingLastPathComponent
            let others = try Self.otherFilesBytes(in: directory, besides: journal)
            try FileManager.default.removeItem(atPath: directory)
            // Leave room for the other files, the first records and about half of the rest.
            let filler = runs + "/filler"
            let keep = others + head + (total - head) / 2
            let size = Self.freeBytes(runs) - keep
            try #require(size > 0)
            #expect(FileManager.default.createFile(atPath: filler, contents: Data(count: size)))
            print("journal disk full: \(Self.freeBytes(runs)) bytes left for a journal of \(total) bytes")
            let full = try LabTestSupport.testbed(["run", "--fresh", "-t", topology, plan], home: home)
            #expect(full.status == .exited(1), "\(full.stdoutText)\(full.stderrText)")
            #expect(
                full.stdoutText.contains("the run journal could not be kept, so the run was stopped: "),
                "\(full.stdoutText)\(full.stderrText)")
            #expect(full.stdoutText.contains("No space left on device"), "\(full.stdoutText)")
            #expect(!full.stdoutText.contains("passed — 6 passed"), "\(full.stdoutText)")
            try FileManager.default.removeItem(atPath: filler)
            let resumed = try LabTestSupport.testbed(["run", "-t", topology, plan, "--resume"], home: home)
            #expect(resumed.status == .exited(0), "\(resumed.stdoutText)\(resumed.stderrText)")
            let found = try FaultTestSupport.snapshot(topology: topology, nodes: nodes, home: home)
            #expect(found == expected, "\(FaultTestSupport.difference(expected, found))")
        }
    }
}
