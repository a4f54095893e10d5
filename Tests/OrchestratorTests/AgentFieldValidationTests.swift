import Foundation
import NodeAgentProtocol
import Testing

@testable import Orchestrator

/// The agent's own checks of request fields, at their limits: raw frames on its standard input, its answers
/// read from its standard output. (The checks are globs and lengths, not bounded regexes; see the agent text.)
@Suite(.timeLimit(.minutes(1))) struct AgentFieldValidationTests {
    /// One raw request frame: the header fields, then the payload.
    private static func frame(_ fields: String, _ payload: String = "") -> String {
        "TBREQ/2 \(fields) \(payload.utf8.count)\n\(payload)"
    }

    /// Runs a local agent on `frames` (it exits at the end of its input) and returns what it wrote.
    private static func answers(_ frames: [String]) throws -> String {
        let input = Array((frame("1 hello") + frames.joined()).utf8)
        return try ProcessRunner.run(
            "/bin/bash", ["-c", AgentScript.launchCommand], input: input, timeout: .seconds(30)
        )
        .stdoutText
    }

    /// The answer of request `id`: from its `TBRES/2 id` header to the next answer's (answers are framed by
    /// length and need not end with a newline).
    private static func answer(_ id: Int, in text: String) -> String? {
        guard let start = text.range(of: "TBRES/2 \(id) ") else { return nil }
        let end = text.range(of: "TBRES/2 ", range: start.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
        return String(text[start.lowerBound..<end])
    }

    @Test("timeout, stop flag and namespace name are refused just past their limits, accepted at them")
    func runFields() throws {
        let longest = String(repeating: "a", count: 64)
        let text = try Self.answers([
            Self.frame("2 run default 123456789012345 1 -", "true"),
            Self.frame("3 run default 1234567890123456 1 -", "true"),
            Self.frame("4 run default 12a 1 -", "true"),
            Self.frame("5 run default - 2 -", "true"),
            Self.frame("6 run default - 01 -", "true"),
            Self.frame("7 run ns:\(longest) - 1 -", "true"),
            Self.frame("8 run ns:\(longest)a - 1 -", "true"),
            Self.frame("9 run ns:a/b - 1 -", "true"),
            Self.frame("10 run ns:.. - 1 -", "true"),
            Self.frame("1234567890123456789 run default - 0 -", "true"),
        ])
        #expect(Self.answer(2, in: text)?.hasPrefix("TBRES/2 2 run 0 ") == true, "\(text)")
        for id in [3, 4, 5, 6] {
            #expect(Self.answer(id, in: text)?.contains("malformed run request fields") == true, "request \(id)")
        }
        #expect(Self.answer(7, in: text)?.contains("does not exist on this node") == true)
        for id in [8, 9, 10] {
            #expect(Self.answer(id, in: text)?.contains("invalid network namespace name") == true, "request \(id)")
        }
        #expect(Self.answer(1_234_567_890_123_456_789, in: text)?.contains(" run 0 ") == true)
    }

    @Test("state queries: a namespace of 64 characters passes, 65 do not; an iptables table of 32 letters passes")
    func queryFields() throws {
        let longest = String(repeating: "q", count: 64)
        let table = String(repeating: "t", count: 32)
        let text = try Self.answers([
            Self.frame("2 run default - 1 addresses@\(longest)", "true"),
            Self.frame("3 run default - 1 addresses@\(longest)q", "true"),
            Self.frame("4 run default - 1 routes@", "true"),
            Self.frame("5 run default - 1 iptables:\(table)t", "true"),
            Self.frame("6 run default - 1 iptables:Mangle", "true"),
            Self.frame("7 run default - 1 sysctl:net.ipv4.ip_forward", "true"),
        ])
        #expect(Self.answer(2, in: text)?.contains(" run 0 ") == true, "\(text)")
        #expect(Self.answer(3, in: text)?.contains("invalid state query") == true)
        #expect(Self.answer(4, in: text)?.contains("invalid state query") == true)
        #expect(Self.answer(5, in: text)?.contains("invalid iptables table") == true)
        #expect(Self.answer(6, in: text)?.contains("invalid iptables table") == true)
        #expect(Self.answer(7, in: text)?.contains(" run 0 ") == true)
    }

    @Test("ping count, timeout and address list are refused past their limits or with a foreign character")
    func pingFields() throws {
        let text = try Self.answers([
            // A zoned address on an interface that does not exist: should a broken check let a count through, the
            // ping fails at once instead of running for days (and nothing leaves the machine).
            Self.frame("2 ping default 1234567 100 fe80::1%tbnone0"),
            Self.frame("3 ping default 1 1234567890 fe80::1%tbnone0"),
            Self.frame("4 ping default 1 100 127.0.0.1;true"),
            Self.frame("5 ping default x 100 127.0.0.1"),
        ])
        for id in 2...5 {
            #expect(Self.answer(id, in: text)?.contains("malformed ping request fields") == true, "request \(id)")
        }
    }

    @Test("a request id of 20 digits or a payload length of 11 is a broken header: the agent answers and stops")
    func headerFields() throws {
        for header in ["12345678901234567890 run default - 1 - 4", "2 run default - 1 - 12345678901"] {
            let text = try Self.answers(["TBREQ/2 \(header)\ntrue", Self.frame("3 run default - 1 -", "true")])
            #expect(text.contains("not a protocol 2 request header"), "\(header): \(text)")
            #expect(Self.answer(3, in: text) == nil, "the agent went on after \(header)")
        }
    }
}
