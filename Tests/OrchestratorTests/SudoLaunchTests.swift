import PlanModel
import Testing

@testable import Orchestrator

@Suite("become: sudo — how the agent is started, and sudo's refusals in words")
struct SudoLaunchTests {
    /// A node whose sudo answers from a table: command → (status, stderr), recording what was asked.
    final class FakeSudo {
        var answers: [String: (Int32, String)]
        var asked: [(String, String)] = []
        init(_ answers: [String: (Int32, String)]) { self.answers = answers }

        func execute(_ command: String, _ input: [UInt8]) -> ProcessOutput {
            asked.append((command, String(decoding: input, as: UTF8.self)))
            let (status, stderr) = answers[command] ?? (127, "sh: 1: \(command): not found")
            return ProcessOutput(status: .exited(status), stdout: [], stderr: Array(stderr.utf8))
        }
    }

    func decide(_ fake: FakeSudo, become: Become, environment: [String: String] = [:]) throws -> SudoLaunch {
        try SudoLaunch.decide(
            become, node: "delta", address: "169.254.201.13:22", user: "tb", environment: { environment[$0] },
            execute: fake.execute)
    }

    @Test("NOPASSWD: sudo -n, nothing written before the frames")
    func noPassword() throws {
        let fake = FakeSudo(["sudo -n true": (0, "")])
        let launch = try decide(fake, become: Become())
        #expect(launch.command.hasPrefix("exec sudo -n -- /bin/bash --noprofile --norc -c '"))
        #expect(launch.command.hasSuffix("' testbed-agent"))
        #expect(launch.preamble.isEmpty)
    }

    @Test("a password from the environment: checked with -S -k, then the agent's first input line")
    func withPassword() throws {
        let fake = FakeSudo([
            "sudo -n true": (1, "sudo: a password is required"), "sudo -S -k -p '' true": (0, ""),
        ])
        let launch = try decide(fake, become: Become(passwordEnvironmentVariable: "PW"), environment: ["PW": "s3cret"])
        #expect(launch.command.hasPrefix("exec sudo -S -k -p '' -- /bin/bash"))
        #expect(launch.preamble == Array("s3cret\n".utf8))
        #expect(fake.asked.map(\.1) == ["", "s3cret\n"])
        #expect(!launch.command.contains("s3cret"))
    }

    @Test("the refusals: no password given, the variable unset, a wrong password, not in sudoers")
    func refusals() {
        let needs = FakeSudo(["sudo -n true": (1, "sudo: a password is required")])
        #expect(throws: ConnectionError.self) { try decide(needs, become: Become()) }
        do {
            _ = try decide(needs, become: Become())
        } catch let error as ConnectionError {
            #expect(error.code == .sudoNeedsPassword)
            #expect(error.message == "sudo on the node needs a password for user 'tb'")
        } catch {}
        do {
            _ = try decide(needs, become: Become(passwordEnvironmentVariable: "PW"))
        } catch let error as ConnectionError {
            #expect(error.message == "sudo on the node needs a password and PW is not set")
        } catch {}
        let wrong = FakeSudo([
            "sudo -n true": (1, "sudo: a password is required"),
            "sudo -S -k -p '' true": (1, "Sorry, try again.\nsudo: 1 incorrect password attempt"),
        ])
        do {
            _ = try decide(wrong, become: Become(passwordEnvironmentVariable: "PW"), environment: ["PW": "x"])
        } catch let error as ConnectionError {
            #expect(error.code == .sudoFailed)
            #expect(error.message == "sudo refused the password in PW for user 'tb'")
        } catch {}
        let stranger = FakeSudo([
            "sudo -n true": (1, "sudo: a password is required"),
            "sudo -S -k -p '' true": (1, "tb is not in the sudoers file.  This incident will be reported."),
        ])
        do {
            _ = try decide(stranger, become: Become(passwordEnvironmentVariable: "PW"), environment: ["PW": "x"])
        } catch let error as ConnectionError {
            #expect(error.code == .notInSudoers)
            #expect(error.message == "user 'tb' may not run sudo on node 'delta'")
            #expect(error.diagnostics.first?.category == .connection)
        } catch {}
    }
}
