import NodeAgentProtocol
import Synchronization
import Testing

@Suite("large outputs spilled as they arrive")
struct OutputSpillTests {
    final class Collected: Sendable {
        let bytes = Mutex<[Int: [UInt8]]>([:])
        func spill(threshold: Int = 4096, tail: Int = 1000) -> OutputSpill {
            OutputSpill(threshold: threshold, tailLimit: tail) { section, chunk in
                self.bytes.withLock { $0[section, default: []] += chunk }
            }
        }
    }

    /// A `run` answer with the given stdout and stderr and one routes query.
    static func frame(id: Int, stdout: [UInt8], stderr: [UInt8]) -> [UInt8] {
        let query = Array("[]".utf8)
        return Array(
            "TBRES/2 \(id) run 3 2 1 1500 0 \(stdout.count) \(stderr.count) 1 routes 0 \(query.count) 0\n".utf8)
            + stdout + stderr + query
    }

    @Test("a 4 MiB stdout fed in 64 KiB reads never has more than one read buffered; the sink gets every byte")
    func boundedBuffer() throws {
        let stdout = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let stderr = Array("short".utf8)
        let bytes = Self.frame(id: 7, stdout: stdout, stderr: stderr)
        let collected = Collected()
        var decoder = FrameDecoder(expectsBanner: false)
        decoder.spill(responseID: 7, to: collected.spill())
        var answer: NodeResponse?
        var largest = 0
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + 65_536)
            decoder.append(bytes[offset..<end])
            offset = end
            largest = max(largest, decoder.bufferedByteCount)
            if let (id, response) = try decoder.next() {
                #expect(id == 7)
                answer = response
            }
        }
        #expect(largest <= 2 * 65_536, "\(largest) bytes were buffered")
        guard case .run(let result)? = answer else {
            Issue.record("no run answer")
            return
        }
        #expect(result.stdout == Array(stdout.suffix(1000)))
        #expect(result.stdoutByteCount == stdout.count)
        #expect(result.stderr == stderr)
        #expect(result.stderrByteCount == nil)
        #expect(result.stateOutputs.first?.text == "[]")
        #expect(collected.bytes.withLock { $0[0] } == stdout)
        #expect(collected.bytes.withLock { $0[1] } == nil)
    }

    @Test("without a spill the same answer is decoded whole; another answer's spill is not used for it")
    func onlyItsOwnAnswer() throws {
        let stdout = [UInt8](repeating: 65, count: 10_000)
        var decoder = FrameDecoder(expectsBanner: false)
        let collected = Collected()
        decoder.spill(responseID: 9, to: collected.spill())
        decoder.append(Self.frame(id: 8, stdout: stdout, stderr: []))
        guard case .run(let result)? = try decoder.next()?.response else {
            Issue.record("no run answer")
            return
        }
        #expect(result.stdout == stdout)
        #expect(result.stdoutByteCount == nil)
        #expect(collected.bytes.withLock { $0.isEmpty })
    }
}
