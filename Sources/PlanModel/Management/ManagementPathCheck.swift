/// Before a run: would any command of the plan take the SSH session's path away from testbed? For each node with a
/// known management path, the plan's blocks for it are run through the state model in order, and after every
/// command the path is looked at again: where a packet to the controller goes (a route or rule making it
/// unreachable or sending it elsewhere), whether the management interface is still there, up, and holding its
/// address, and whether an iptables rule would drop it.
public enum ManagementPathCheck {
    /// Every command that would cut a management path, as a located diagnostic (category `refused`).
    public static func problems(
        plan: Plan, states: [NodeName: NodeState], paths: [NodeName: ManagementPath], source: (String) -> SourceText?
    ) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for (node, path) in paths.sorted(by: { $0.key < $1.key }) {
            guard var state = states[node], let interface = path.interface(in: state) else { continue }
            let before = ManagementLookup.lookup(path.controller, from: path.local, in: state)
            guard before.isDelivered else { continue }
            nodeLoop: for step in plan.steps {
                for block in step.blocks where block.node == node {
                    for command in block.commands {
                        _ = StateModel.run(command.text, namespace: block.netns?.rawValue, on: &state)
                        guard block.netns == nil else { continue }
                        let reason =
                            iptablesReason(command.text, path: path, interface: interface)
                            ?? interfaceReason(state, path: path, interface: interface)
                            ?? routeReason(state, path: path, before: before)
                        guard let reason else { continue }
                        result.append(diagnostic(node: node, command: command, reason: reason, source: source))
                        break nodeLoop
                    }
                }
            }
        }
        return result
    }

    private static func diagnostic(
        node: NodeName, command: Command, reason: String, source: (String) -> SourceText?
    ) -> Diagnostic {
        Diagnostic(
            code: "management.cut", category: .refused,
            message: "on node '\(node)' `\(command.text)` would take testbed's SSH path away: \(reason)",
            location: command.location, sourceLine: source(command.location.file)?.line(command.location.line),
            hint:
                "keep the management network out of the plan's ranges (LXD: provider.management), or run with --allow-management-change if the path survives another way"
        )
    }

    static func routeReason(_ state: NodeState, path: ManagementPath, before: ManagementLookup) -> String? {
        let after = ManagementLookup.lookup(path.controller, from: path.local, in: state)
        guard !after.sameWay(as: before) else { return nil }
        let tables = state.rtTables
        let described = after.table.map { "table \(tables.describe(table: $0))" }
        if !after.isDelivered {
            let via = [after.route.map { "\($0)" }, described, after.rulePriority.map { "rule \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            return "the controller's address \(path.controller) becomes unreachable (\(via.isEmpty ? "no route" : via))"
        }
        return "the controller's address \(path.controller) would go \(after) instead of \(before)"
    }

    static func interfaceReason(_ state: NodeState, path: ManagementPath, interface: String) -> String? {
        guard let link = state.namespace(nil)?.link(named: interface) else {
            return "the management interface \(interface) leaves the default namespace (moved or deleted)"
        }
        if !link.isUp { return "the management interface \(interface) is set down" }
        if !link.addresses.contains(where: { $0.address == path.local }) {
            return "the management interface \(interface) loses its address \(path.local)"
        }
        return nil
    }

    /// A filter rule in INPUT or OUTPUT that drops or rejects, unless its addresses or interfaces leave the
    /// management path out; a DROP policy on either chain.
    static func iptablesReason(_ text: String, path: ManagementPath, interface: String) -> String? {
        guard let words = ShellWords.split(text), let first = words.first, first.hasSuffix("iptables") else {
            return nil
        }
        var table = "filter"
        var chain: String?
        var target: String?
        var policy: (String, String)?
        var matchesPath = true
        var index = 1
        while index < words.count {
            let word = words[index]
            let value = index + 1 < words.count ? words[index + 1] : ""
            switch word {
            case "-t", "--table": table = value
            case "-A", "--append", "-I", "--insert": chain = value
            case "-P", "--policy":
                policy = (value, index + 2 < words.count ? words[index + 2] : "")
            case "-j", "--jump": target = value
            case "-s", "--source", "-d", "--destination":
                let address =
                    chain == "OUTPUT"
                    ? (word.hasPrefix("-s") || word == "--source" ? path.local : path.controller)
                    : (word.hasPrefix("-s") || word == "--source" ? path.controller : path.local)
                if let prefix = IPPrefix(value), !prefix.contains(address) { matchesPath = false }
            case "-i", "--in-interface", "-o", "--out-interface":
                if value != interface && !value.hasSuffix("+") { matchesPath = false }
            default: break
            }
            index += 1
        }
        guard table == "filter" else { return nil }
        if let (chain, verdict) = policy, ["INPUT", "OUTPUT"].contains(chain), verdict == "DROP" {
            return "the \(chain) policy becomes DROP"
        }
        guard let chain, ["INPUT", "OUTPUT"].contains(chain), let target, ["DROP", "REJECT"].contains(target),
            matchesPath
        else { return nil }
        return "an iptables rule in \(chain) would \(target) the traffic of \(path.controller)"
    }
}
