import Foundation
import PlanModel
import Testing

/// Pins what the kernel-state model says about a wide corpus of `ip`, `iptables`, `sysctl` and shell command
/// lines: each command's outcome (status, reason, tool message, missing prior state, or what became unknown)
/// and, after each section, the whole node state. The transcript is `Fixtures/state/pinned-outcomes.txt`;
/// the test reruns its `$` lines and compares every line, so a refactoring cannot change a failure's order
/// or text unnoticed. The outcomes were written by the model itself (the parts checked against a real kernel
/// are in the StateModel integration tests); `STATE_PIN_WRITE=1` rewrites the file after a deliberate change.
@Suite("pinned model outcomes for a corpus of commands")
struct StatePinnedOutcomeTests {
    static let fixtureName = "state/pinned-outcomes.txt"

    @Test("every command of the corpus gives the pinned outcome, and every section the pinned state")
    func corpus() throws {
        let text = try String(contentsOfFile: ImportTestSupport.fixture(Self.fixtureName), encoding: .utf8)
        let regenerated = PinnedTranscript.regenerate(text)
        if ProcessInfo.processInfo.environment["STATE_PIN_WRITE"] != nil {
            let path = ImportTestSupport.repositoryRoot()
                .appendingPathComponent("Tests/PlanModelTests/Fixtures/\(Self.fixtureName)").path
            try regenerated.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = text.split(separator: "\n", omittingEmptySubsequences: false)
        let found = regenerated.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(expected.count == found.count, "line count")
        var reported = 0
        for (index, (wanted, got)) in zip(expected, found).enumerated() where wanted != got && reported < 10 {
            reported += 1
            Issue.record("line \(index + 1):\n  pinned: \(wanted)\n  now:    \(got)")
        }
        #expect(text.contains("\n$ ") && text.contains("\n? "), "the corpus has commands and probes")
    }
}

/// Reruns a pinned transcript: `# ` lines are kept, `## NAME` starts a section from a fresh lab node, `$ CMD`
/// runs a command and is followed by its outcome, `? CMD` does the same on a copy of the state (a probe whose
/// effect is dropped, so one not-modelled command does not hide the failures after it); the state after
/// each section follows it (`= ` lines).
enum PinnedTranscript {
    static func regenerate(_ text: String) -> String {
        var output: [String] = []
        var state: NodeState?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("## ") {
                if let state { output += dump(state) }
                state = StateTestSupport.freshBeta()
                output.append(line)
            } else if line.hasPrefix("$ ") || line.hasPrefix("? "), var current = state {
                let command = String(line.dropFirst(2))
                let outcome = StateModel.run(command, on: &current)
                if line.hasPrefix("$ ") { state = current }
                output.append(line)
                output.append("  " + describe(outcome))
            } else if line.hasPrefix("# ") || line == "#" {
                output.append(line)
            }
        }
        if let state { output += dump(state) }
        return output.joined(separator: "\n") + "\n"
    }

    static func describe(_ outcome: CommandOutcome) -> String {
        switch outcome {
        case .success:
            return "ok"
        case .failure(let failure):
            let missing = failure.missing.map { " | missing: \(String(describing: $0))" } ?? ""
            return "fail \(failure.exitStatus): \(failure.reason) | \(failure.toolMessage)\(missing)"
        case .notModelled(let unknown):
            return "not modelled (\(unknown.scope)): \(unknown.reason)"
        }
    }

    static func dump(_ state: NodeState) -> [String] {
        var lines = [
            "= node unknown \(state.unknown.map(\.rawValue).sorted()), next link id \(state.nextLinkID)",
            "= rt_tables " + state.rtTables.lines.map { "'\($0)'" }.joined(separator: " "),
        ]
        for (key, namespace) in state.namespaces {
            lines.append(
                "= netns '\(key)' unknown \(namespace.unknown.sorted().map(\.rawValue)), tables known "
                    + "\(namespace.tablesKnown), kernel tables \(namespace.kernelTables.sorted())")
            for link in namespace.links {
                let addresses = link.addresses.map { $0.description + ($0.isSecondary ? " secondary" : "") }
                lines.append(
                    "=   link \(link.id) \(link.name) \(String(describing: link.kind)) \(link.mac?.description ?? "-") "
                        + "\(link.isUp ? "up" : "down") \(addresses)")
            }
            for route in namespace.routes {
                lines.append("=   route \(route.table) \(route) (scope \(route.scope.rawValue))")
            }
            for rule in namespace.rules { lines.append("=   rule \(rule)") }
            for (table, chains) in namespace.iptables.tables.sorted(by: { $0.key < $1.key }) {
                for (chain, rules) in chains.sorted(by: { $0.key < $1.key }) {
                    lines.append("=   iptables \(table) \(chain) \(rules)")
                }
            }
            for (name, value) in namespace.sysctls.sorted(by: { $0.key < $1.key }) {
                lines.append("=   sysctl \(name)=\(value)")
            }
        }
        return lines
    }
}
