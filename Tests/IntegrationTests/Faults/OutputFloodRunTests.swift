import Foundation
import Orchestrator
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A block that prints 100 MiB: the orchestrator keeps a tail in memory and the whole output in a file of
/// the run directory.
extension RealKernelTests {
    @Suite(.serialized, .timeLimit(.minutes(10)), .enabled(if: LabTestSupport.canRunLabs, LabTestSupport.skipReason))
    final class OutputFloodRunTests {
        let lab = LabTestHome()
        var home: String { lab.path }

        /// The peak resident set of a process (`VmHWM`), in bytes.
        static func peakRSS(_ pid: Int32) -> Int? {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
            else { return nil }
            return kilobytes * 1024
        }

        @Test("a block printing 100 MiB leaves the orchestrator under 100 MB resident; the output is whole on disk")
        func flood() throws {
            let plan = try lab.write(
                "flood.yaml",
                "steps:\n  - {id: flood, node: alfa, run: \"head -c 104857600 /dev/zero | tr '\\\\0' x; echo end\"}\n")
            let proceed = home + "/proceed"
            let run = try FaultTestSupport.BackgroundRun(
                ["run", "--fresh", "-t", lab.netsukuku, plan], home: home,
                environment: ["TESTBED_FAULT_PAUSE=unit-returned:flood:alfa", "TESTBED_FAULT_RESUME=\(proceed)"])
            #expect(run.waitFor(text: "paused at unit-returned:flood:alfa", seconds: 120), "\(run.stderr)")
            let peak = try #require(Self.peakRSS(run.child.pid))
            print("orchestrator peak RSS with a 100 MiB block output: \(peak / 1_048_576) MiB")
            FileManager.default.createFile(atPath: proceed, contents: Data())
            #expect(run.wait() == .exited(0), "\(run.stdout)\(run.stderr)")
            #expect(peak < 100_000_000, "peak RSS \(peak) bytes")
            let file = try #require(
                run.stdout.split(separator: "\n").first { $0.hasSuffix("output/1-1-alfa.stdout") }.map {
                    $0.trimmingCharacters(in: .whitespaces)
                }, "\(run.stdout)")
            let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int
            #expect(size == 104_857_600 + 4)
            let handle = try #require(FileHandle(forReadingAtPath: file))
            try handle.seek(toOffset: UInt64(104_857_600 - 2))
            #expect(String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self) == "xxend\n")
        }
    }
}
