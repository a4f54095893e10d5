public import PlanModel

/// What preflight asks a node, and how its answer is judged: pure text in, diagnostics out.
///
/// The probe is one shell script run by the agent; it prints one fact per line (`missing-program ping`,
/// `uid 0`, `interface eth1 00:16:3e:ec:a3:e1`, `no-interface eth2`, `rt-tables read-only`, `no-netns …`,
/// `no-macvlan …`), and `findings` turns the facts into diagnostics, every problem of the node at once.
public enum PreflightProbe {
    /// The programs plans need, with the Debian package of each.
    public static let programs: [(program: String, package: String)] = [
        ("ip", "iproute2"), ("iptables", "iptables"), ("ping", "iputils-ping"), ("sysctl", "procps"), ("bash", "bash"),
        ("tee", "coreutils"), ("sed", "sed"),
    ]

    /// The kernel features a plan uses, read from its commands.
    public struct Features: Sendable, Hashable {
        public var netns = false
        public var macvlan = false

        public init(netns: Bool = false, macvlan: Bool = false) {
            self.netns = netns
            self.macvlan = macvlan
        }

        public static func of(_ plan: Plan?) -> Features {
            var features = Features()
            for step in plan?.steps ?? [] {
                for block in step.blocks {
                    if block.netns != nil { features.netns = true }
                    for command in block.commands {
                        let words = ShellWords.split(command.text) ?? []
                        if words.starts(with: ["ip", "netns"]) || words.contains("netns") { features.netns = true }
                        if words.contains("macvlan") { features.macvlan = true }
                    }
                }
            }
            return features
        }
    }

    /// The script for `node`: programs, user, the topology's interfaces, rt_tables, and the features (tried in a
    /// throwaway network namespace made by `unshare -n`, which ends with the command: nothing is left behind).
    public static func script(for node: TopologyNode, features: Features) -> String {
        var lines = [
            "for p in \(programs.map(\.program).joined(separator: " ")); do command -v \"$p\" >/dev/null 2>&1 || echo \"missing-program $p\"; done",
            "echo \"uid $(id -u)\"",
        ]
        for name in node.interfaces.keys {
            let quoted = ShellWords.quote(name)
            lines.append(
                "if [ -e /sys/class/net/\(quoted) ]; then echo \"interface \(name) $(cat /sys/class/net/\(quoted)/address)\"; else echo \"no-interface \(name)\"; fi"
            )
        }
        lines.append(
            "if [ -e /etc/iproute2/rt_tables ]; then [ -w /etc/iproute2/rt_tables ] || echo 'rt-tables read-only'; "
                + "elif ! [ -w /etc/iproute2 ] && ! [ -w /etc ]; then echo 'rt-tables read-only'; fi")
        if features.netns || features.macvlan {
            lines.append(
                "if ! command -v unshare >/dev/null 2>&1; then echo 'no-netns unshare (util-linux) is missing'; "
                    + "elif ! out=$(unshare -n true 2>&1); then echo \"no-netns $out\"; fi")
        }
        if features.macvlan {
            lines.append(
                "if command -v unshare >/dev/null 2>&1 && ! out=$(unshare -n sh -c 'ip link add tbpf0 type veth peer name tbpf1 && ip link add tbpf2 link tbpf0 type macvlan' 2>&1); then echo \"no-macvlan $out\"; fi"
            )
        }
        lines.append("true")
        return lines.joined(separator: "\n")
    }

    /// The diagnostics for one node's answer.
    public static func findings(_ output: String, node: TopologyNode, subject: String) -> [Diagnostic] {
        var result: [Diagnostic] = []
        func problem(_ code: String, _ message: String, hint: String, cause: String? = nil) {
            result.append(
                Diagnostic(
                    code: "preflight.\(code)", category: .refused, message: message, subject: subject, cause: cause,
                    hint: hint))
        }
        var seenInterfaces: Set<String> = []
        for line in output.split(separator: "\n").map(String.init) {
            let words = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard let fact = words.first else { continue }
            let rest = words.dropFirst().joined(separator: " ")
            switch fact {
            case "missing-program":
                let package = programs.first { $0.program == rest }?.package ?? rest
                problem(
                    "missing-program", "program '\(rest)' is missing", hint: "install it: apt-get install \(package)")
            case "uid" where rest != "0":
                problem(
                    "not-root", "the agent runs as uid \(rest), not root",
                    hint: "connect as root, or give the node `become: sudo`")
            case "interface" where words.count == 3:
                seenInterfaces.insert(words[1])
                if let expected = node.interfaces[words[1]]?.mac, MACAddress(words[2]) != expected {
                    problem(
                        "wrong-mac", "interface \(words[1]) has MAC \(words[2]), the topology says \(expected)",
                        hint: "set it (ip link set dev \(words[1]) address \(expected)) or correct the topology")
                }
            case "no-interface":
                seenInterfaces.insert(rest)
                problem(
                    "missing-interface", "interface \(rest) that the topology names does not exist",
                    hint: "attach the NIC, or correct the topology's interfaces")
            case "rt-tables":
                problem(
                    "rt-tables-read-only", "/etc/iproute2/rt_tables is not writable",
                    hint: "plans append their tables there; make it writable for root")
            case "no-netns":
                problem(
                    "no-netns", "network namespaces cannot be made",
                    hint: "run on a kernel and as a user that can unshare -n",
                    cause: rest)
            case "no-macvlan":
                problem(
                    "no-macvlan", "macvlan interfaces cannot be made",
                    hint: "load the macvlan module (modprobe macvlan)",
                    cause: rest)
            default: continue
            }
        }
        return result
    }
}
