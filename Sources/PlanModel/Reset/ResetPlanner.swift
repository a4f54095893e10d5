/// The commands that take a node from the state it is in back to the state kept at a run's first connect:
/// namespaces, links, addresses, routes of every table, rules and iptables rules the run added are removed, the
/// ones it removed or changed are put back, sysctls set to their kept values, and rt_tables rewritten. What no
/// command can bring back (a physical NIC that is gone) is listed instead.
public enum ResetPlanner {
    public struct Plan: Sendable, Hashable {
        /// Shell lines in the order they must run; each one reports itself on standard error when it fails.
        public var commands: [String]
        /// What cannot be restored, in words.
        public var impossible: [String]
    }

    public static func plan(from current: NodeState, to target: NodeState) -> Plan {
        var removals: [String] = []
        var additions: [String] = []
        var impossible: [String] = []
        for name in current.namedNamespaces where target.namespace(name) == nil {
            removals.append("ip netns delete \(ShellWords.quote(name))")
        }
        for name in target.namedNamespaces where current.namespace(name) == nil {
            additions.append("ip netns add \(ShellWords.quote(name))")
            impossible.append("namespace \(name) is made again, but not what was inside it")
        }
        for (key, wanted) in target.namespaces {
            guard let now = current.namespaces[key] else { continue }
            let ip = key.isEmpty ? "ip" : "ip -n \(ShellWords.quote(key))"
            let iptables = key.isEmpty ? "iptables" : "ip netns exec \(ShellWords.quote(key)) iptables"
            let (linkRemovals, linkAdditions, linkImpossible) = links(from: now, to: wanted, ip: ip)
            removals += iptablesRemovals(from: now, to: wanted, iptables: iptables)
            removals += ruleChanges(now.rules, minus: wanted.rules, verb: "del", ip: ip)
            removals += routeChanges(now.routes, minus: wanted.routes, verb: "del", ip: ip)
            removals += linkRemovals
            additions += linkAdditions
            additions += routeChanges(wanted.routes, minus: now.routes, verb: "add", ip: ip)
            additions += ruleChanges(wanted.rules, minus: now.rules, verb: "add", ip: ip)
            additions += iptablesRemovals(from: wanted, to: now, iptables: iptables, verb: "-A")
            let sysctl = key.isEmpty ? "sysctl" : "ip netns exec \(ShellWords.quote(key)) sysctl"
            for (name, value) in wanted.sysctls.sorted(by: { $0.key < $1.key }) where now.sysctls[name] != value {
                additions.append("\(sysctl) -q -w \(ShellWords.quote("\(name)=\(value)"))")
            }
            impossible += linkImpossible
        }
        if current.rtTables != target.rtTables {
            additions.append("printf '%s' \(ShellWords.quote(target.rtTables.text)) > /etc/iproute2/rt_tables")
        }
        let commands = (removals + additions).map { "\($0) || echo \(ShellWords.quote("failed: \($0)")) >&2" }
        return Plan(commands: commands, impossible: impossible)
    }

    /// Links the run made are deleted; links it changed get their MAC, state and addresses back.
    static func links(from now: NamespaceState, to wanted: NamespaceState, ip: String)
        -> (removals: [String], additions: [String], impossible: [String])
    {
        var removals: [String] = []
        var additions: [String] = []
        var impossible: [String] = []
        for link in now.links where wanted.link(named: link.name) == nil {
            switch link.kind {
            case .loopback, .ethernet:
                impossible.append(
                    "\(link.name) was not there at the first connect; it is a physical NIC, left as it is")
            case .macvlan, .veth:
                removals.append("\(ip) link delete dev \(ShellWords.quote(link.name))")
            }
        }
        for link in wanted.links {
            let name = ShellWords.quote(link.name)
            guard let present = now.link(named: link.name) else {
                impossible.append("\(link.name) (\(link.kindName)) is gone and cannot be made again as it was")
                continue
            }
            let gone = present.addresses.filter { address in !link.addresses.contains { $0.prefix == address.prefix } }
            removals += gone.map { "\(ip) address del \($0) dev \(name)" }
            if let mac = link.mac, present.mac != mac { additions.append("\(ip) link set dev \(name) address \(mac)") }
            if present.isUp != link.isUp { additions.append("\(ip) link set dev \(name) \(link.isUp ? "up" : "down")") }
            let missing = link.addresses.filter { address in !present.addresses.contains { $0.prefix == address.prefix }
            }
            additions += missing.map { "\(ip) address add \($0) dev \(name)" }
        }
        return (removals, additions, impossible)
    }

    /// Routes the kernel makes itself (for addresses, in the local table) come and go with their addresses.
    static func routeChanges(_ routes: [Route], minus others: [Route], verb: String, ip: String) -> [String] {
        routes.filter { route in
            route.routingProtocol != .kernel && route.table != RouteTable.local && !others.contains(route)
        }.sorted().map { "\(ip) route \(verb) \($0) table \($0.table)" }
    }

    static func ruleChanges(_ rules: [PolicyRule], minus others: [PolicyRule], verb: String, ip: String) -> [String] {
        rules.filter { !others.contains($0) }.map { rule in
            let text = rule.description
            let selector = text.firstIndex(of: " ").map { String(text[text.index(after: $0)...]) } ?? text
            return "\(ip) rule \(verb) priority \(rule.priority) \(selector)"
        }
    }

    /// `-D` for every rule of `from` that `to` lacks (or `-A` with the sides swapped), table by table.
    static func iptablesRemovals(
        from now: NamespaceState, to wanted: NamespaceState, iptables: String, verb: String = "-D"
    ) -> [String] {
        var result: [String] = []
        for (table, chains) in now.iptables.normalised.sorted(by: { $0.key < $1.key }) {
            for (chain, rules) in chains.sorted(by: { $0.key < $1.key }) {
                let kept = wanted.iptables.rules(table: table, chain: chain)
                for rule in rules where !kept.contains(rule) {
                    result.append("\(iptables) -t \(table) \(verb) \(chain) \(rule)")
                }
            }
        }
        return result
    }
}
