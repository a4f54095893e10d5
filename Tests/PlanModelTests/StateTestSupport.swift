import PlanModel
import Testing

/// A node of the lab as `lab up` leaves it, and helpers to run commands on it through the model.
enum StateTestSupport {
    static let betaMAC = MACAddress("00:16:3E:EC:A3:E1")

    static func freshBeta() -> NodeState {
        let node = TopologyNode(
            name: "beta", interfaces: ["eth1": TopologyInterface(name: "eth1", mac: betaMAC, assignAddresses: false)],
            location: InputLocation(file: "t.yaml", line: 1))
        return NodeState.freshLabNode(node)
    }

    /// Runs commands in order; every one must succeed.
    static func run(
        _ commands: [String], on state: inout NodeState, namespace: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for command in commands {
            let outcome = StateModel.run(command, namespace: namespace, on: &state)
            #expect(outcome == .success, "\(command): \(outcome)", sourceLocation: sourceLocation)
        }
    }

    /// Runs one command that must fail; returns the failure.
    @discardableResult
    static func fail(
        _ command: String, on state: inout NodeState, namespace: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> CommandFailure? {
        let outcome = StateModel.run(command, namespace: namespace, on: &state)
        guard case .failure(let failure) = outcome else {
            Issue.record("\(command) should fail, got \(outcome)", sourceLocation: sourceLocation)
            return nil
        }
        return failure
    }

    /// OP-1 for beta, as the script runs it (no populated ntk).
    static let systemStart = [
        "sysctl net.ipv4.ip_forward=1 &>/dev/null",
        "sysctl net.ipv4.conf.all.rp_filter=0 &>/dev/null",
        "ip address add 10.0.0.32 dev lo",
        "sysctl net.ipv4.conf.eth1.rp_filter=0 &>/dev/null",
        "sysctl net.ipv4.conf.eth1.arp_ignore=1 &>/dev/null",
        "sysctl net.ipv4.conf.eth1.arp_announce=2 &>/dev/null",
        "ip link set dev eth1 up",
        "ip address add 169.254.96.141 dev eth1",
        "(echo; echo \"251 ntk # xxx_table_ntk_xxx\") | tee -a /etc/iproute2/rt_tables >/dev/null",
        "ip rule add table ntk",
    ]

    static func route(_ text: String) -> IPPrefix {
        guard let prefix = IPPrefix(text) else { preconditionFailure("bad prefix \(text)") }
        return prefix
    }

    static func address(_ text: String) -> IPAddress {
        guard let address = IPAddress(text) else { preconditionFailure("bad address \(text)") }
        return address
    }
}
