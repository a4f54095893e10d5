import Testing

@testable import PlanModel

/// Inputs the parser fuzzer (Scripts/fuzz) crashed on, cut down by hand: each must now be a located input error.
@Suite struct FuzzRegressionTests {
    let topology: Topology

    init() throws {
        topology = try TopologyLoader.parse(
            text: """
                name: t
                nodes:
                  alfa: {}
                  beta: {}
                links:
                  - endpoints: [alfa:eth1, beta:eth1]
                """, path: "topo.yaml")
    }

    func planErrors(_ text: String) -> [String] {
        do {
            _ = try PlanLoader.parse(text: text, path: "plan.yaml", topology: topology)
            return ["parsed"]
        } catch {
            return error.errors.map { "\($0.location.line):\($0.location.column) \($0.code) \($0.message)" }
        }
    }

    @Test("a reach check from a node the topology does not have is an error, not a trap on an empty node name")
    func reachFromUnknownNode() {
        #expect(
            planErrors(
                """
                steps:
                  - reach: {from: zeta, to: [10.0.0.1, nowhere]}
                """) == [
                    "2:19 unknown-reference unknown node 'zeta'",
                    "2:40 invalid-value 'nowhere' is not an IP address",
                ])
    }

    @Test("a duplicate key after lines ended by a lone CR is a duplicate error, not a trap on a reversed range")
    func duplicateKeyAfterCarriageReturns() {
        let errors: [String]
        do {
            _ = try TopologyLoader.parse(text: "x: 1\r\r\r\ra: 1\na: 2\n", path: "topo.yaml")
            errors = ["parsed"]
        } catch {
            errors = error.errors.map { "\($0.location.line):\($0.location.column) \($0.code) \($0.message)" }
        }
        #expect(errors == ["5:1 duplicate duplicate key 'a' in this mapping"])
    }

    @Test("an ssh line whose node is on a continuation line gets its located error, not a trap on a reversed range")
    func sessionNodeOnContinuationLine() {
        let errors: [String]
        do {
            _ = try SessionScriptParser.parse(text: "Terminal A:\nssh \\\neta\n", path: "s.txt")
            errors = ["parsed"]
        } catch {
            errors = error.errors.map { "\($0.location.line):\($0.location.column) \($0.code) \($0.message)" }
        }
        #expect(errors == ["2:1 invalid-value ssh eta without a command would open an interactive shell"])
    }

    @Test("an ssh_config time too large for a number is refused, not a trap on overflow or read as zero")
    func sshConfigTimeOverflow() {
        let context = SSHConfigDocument.Context(homeDirectory: "/home/ana", localUser: "ana")
        var messages: [String] = []
        for time in ["4000000000000000000d", "99999999999999999999", "9223372036854775807s1"] {
            do {
                _ = try SSHConfigDocument.parse(
                    "Host a\n  ServerAliveInterval \(time)\n", path: "/c", context: context,
                    source: SSHConfigMemorySource([:]))
                messages.append("\(time) parsed")
            } catch {
                messages += error.errors.map { "\($0.location.line):\($0.location.column) \($0.message)" }
            }
        }
        #expect(
            messages == [
                "2:23 ServerAliveInterval must be a time, not '4000000000000000000d'",
                "2:23 ServerAliveInterval must be a time, not '99999999999999999999'",
                "2:23 ServerAliveInterval must be a time, not '9223372036854775807s1'",
            ])
    }
}
