import Foundation
import PlanModel
import Testing

@testable import NodeAgentProtocol

@Suite struct AgentScriptTests {
    /// Runs `/bin/sh -c command`, writes `input`, closes stdin and returns all of stdout.
    private func runShell(_ command: String, input: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(output)
    }

    @Test(
        "shell quoting survives quotes, backslashes, dollars and newlines",
        arguments: [
            "plain", "it's", "'", "''", "a'b'c", "\\n $HOME `id` $(id) \"x\"", "line1\nline2\n", "𝛽 ünï", "",
            // A quote followed by a combining accent is one Swift Character, but the shell sees the quote byte.
            "x'\u{301}; echo injected '\u{301}",
        ])
    func quoting(text: String) throws {
        let output = try runShell("printf %s " + ShellWords.quote(text), input: [])
        #expect(String(decoding: output, as: UTF8.self) == text)
    }

    @Test("the launch command is the agent source as one single-quoted word, each quote written as '\\''")
    func launchCommandForm() {
        let quoted =
            "'"
            + AgentScript.source.split(separator: "'", omittingEmptySubsequences: false)
            .joined(separator: "'\\''") + "'"
        #expect(AgentScript.launchCommand == "exec /bin/bash --noprofile --norc -c " + quoted + " testbed-agent")
    }

    @Test("the agent source contains single quotes, so the launch command really exercises the quoting")
    func sourceHasQuotes() {
        #expect(AgentScript.source.contains("'"))
        #expect(AgentScript.launchCommand.hasPrefix("exec /bin/bash --noprofile --norc -c '"))
        #expect(AgentScript.launchCommand.hasSuffix("' testbed-agent"))
    }

    @Test("the launch command starts the agent under /bin/sh, which answers hello and a run, then exits at EOF")
    func launchUnderSh() throws {
        let encoder = FrameEncoder()
        let input =
            try encoder.encode(.hello, id: 1) + (try encoder.encode(.run(.init(script: "echo \"it's 𝛽\"")), id: 2))
        let output = try runShell("echo 'rc file chatter'; " + AgentScript.launchCommand, input: input)
        var decoder = FrameDecoder()
        decoder.append(output)
        let hello = try #require(try decoder.next())
        guard case .hello(let info) = hello.response else {
            Issue.record("expected hello, got \(hello.response)")
            return
        }
        #expect(info.protocolVersion == .current)
        #expect(info.agentVersion == AgentScript.version)
        let run = try #require(try decoder.next())
        #expect(run.id == 2)
        guard case .run(let result) = run.response else {
            Issue.record("expected run, got \(run.response)")
            return
        }
        #expect(result.exitStatus == 0)
        #expect(result.stdoutText == "it's 𝛽\n")
        #expect(decoder.preambleExcerpt == "rc file chatter\\n")
        try decoder.checkEndOfStream()
    }

    @Test("the agent source parses under bash -n")
    func syntax() throws {
        let output = try runShell(
            "/bin/bash -n -c " + ShellWords.quote(AgentScript.source) + " && echo ok", input: [])
        #expect(String(decoding: output, as: UTF8.self) == "ok\n")
    }
}
