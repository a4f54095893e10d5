/// One command of synthesised state: where it runs and what it creates.
struct SynthesisCommand: Sendable, Hashable {
    /// The namespace it runs in (nil: the default one).
    var namespace: String?
    var text: String
    var what: String

    /// As the agent runs it in the node's default namespace.
    var rendered: String { namespace.map { "ip netns exec \($0) \(text)" } ?? text }
}

extension PriorStateSynthesizer {
    /// The commands that create a prerequisite in `state` (and, first, whatever those commands need), applied to
    /// `state`; or why no such commands make sense.
    func commands(for missing: Prerequisite, node: NodeName, state: inout NodeState, depth: Int = 0)
        -> Result<[SynthesisCommand], SynthesisRefusal>
    {
        let direct: [SynthesisCommand]
        switch Self.direct(missing, node: topology.nodes[node], prior: state) {
        case .success(let commands): direct = commands
        case .failure(let refusal): return .failure(refusal)
        }
        var made: [SynthesisCommand] = []
        for command in direct {
            var attempt = state
            var outcome = Self.run(command.text, namespace: command.namespace, on: &attempt)
            var needed: Set<Prerequisite> = [missing]
            while case .failure(let failure) = outcome, let inner = failure.missing, needed.insert(inner).inserted,
                depth < 6
            {
                switch commands(for: inner, node: node, state: &state, depth: depth + 1) {
                case .success(let before): made += before
                case .failure(let refusal): return .failure(refusal)
                }
                attempt = state
                outcome = Self.run(command.text, namespace: command.namespace, on: &attempt)
            }
            if case .failure(let failure) = outcome {
                return .failure(SynthesisRefusal("`\(command.rendered)` would fail: \(failure.reason)"))
            }
            state = attempt
            made.append(command)
        }
        return .success(made)
    }

    /// The commands that create a prerequisite when everything they need is there.
    static func direct(_ missing: Prerequisite, node: TopologyNode?, prior: NodeState)
        -> Result<[SynthesisCommand], SynthesisRefusal>
    {
        func device(_ name: String?, _ namespace: String?) -> String {
            name ?? namespace.map { "\($0)_\(node?.interfaces.keys.first ?? "eth1")" } ?? "eth1"
        }
        func table(_ id: UInt32) -> String { Self.tableWord(id, tables: prior.rtTables) }
        let what = missing.describe(tables: prior.rtTables)
        switch missing {
        case .namespace(let name):
            return .success([SynthesisCommand(namespace: nil, text: "ip netns add \(name)", what: what)])
        case .tableName(let name):
            let number = prior.rtTables.allocateID(for: name) ?? 1
            let line = "\(number) \(name) # xxx_table_\(name)_xxx"
            return .success([
                SynthesisCommand(
                    namespace: nil, text: "(echo; echo \"\(line)\") | tee -a /etc/iproute2/rt_tables >/dev/null",
                    what: "rt_tables line '\(line)'")
            ])
        case .route(let namespace, let route):
            return .success([
                SynthesisCommand(
                    namespace: namespace, text: "ip route add \(render(route, table: table(route.table)))", what: what)
            ])
        case .kernelTable(let namespace, let id):
            return .success([
                SynthesisCommand(
                    namespace: namespace, text: "ip route add unreachable default table \(table(id))",
                    what: what + " (a placeholder route stands for its routes)")
            ])
        case .device(let namespace, let name):
            return macvlan(name, in: namespace, node: node)
        case .localAddress(let namespace, let address, let name):
            let dev = device(name, namespace)
            return .success([
                SynthesisCommand(namespace: namespace, text: "ip address add \(address) dev \(dev)", what: what)
            ])
        case .gatewayRoute(let namespace, let gateway, let name):
            let dev = device(name, namespace)
            let source =
                gatewaySource(gateway, device: dev, namespace: namespace, node: node, prior: prior)
                .map { " src \($0)" } ?? ""
            return .success([
                SynthesisCommand(namespace: namespace, text: "ip route add \(gateway) dev \(dev)\(source)", what: what)
            ])
        case .address(let namespace, let address, let dev):
            return .success([
                SynthesisCommand(namespace: namespace, text: "ip address add \(address) dev \(dev)", what: what)
            ])
        case .rule(let namespace, let rule, let hasPriority):
            var text = "ip rule add"
            if hasPriority { text += " pref \(rule.priority)" }
            let description = rule.describe(tables: prior.rtTables)
            let selectors = description.drop { $0 != ":" }.dropFirst(2)
            text +=
                " "
                + selectors.replacingOccurrences(of: "from all ", with: "").replacingOccurrences(
                    of: "from all", with: "")
            return .success([SynthesisCommand(namespace: namespace, text: text.trimmingCharacters(in: " "), what: what)]
            )
        case .iptablesRule(let namespace, let table, let chain, let rule):
            return .success([
                SynthesisCommand(namespace: namespace, text: "iptables -t \(table) -A \(chain) \(rule)", what: what)
            ])
        }
    }

    /// The `src` of a synthesised link route to a gateway, as an arc is formed: the device's own address of the
    /// gateway's kind (link-local for a link-local gateway), else the one the topology documents for the card
    /// (added first when missing), else none.
    static func gatewaySource(
        _ gateway: IPAddress, device: String, namespace: String?, node: TopologyNode?, prior: NodeState
    ) -> IPAddress? {
        let onDevice = prior.namespace(namespace)?.link(named: device)?.addresses.map(\.address) ?? []
        if let own = onDevice.first(where: { $0.isLinkLocal == gateway.isLinkLocal && $0.isV4 == gateway.isV4 }) {
            return own
        }
        guard namespace == nil, gateway.isLinkLocal else { return onDevice.first }
        return node?.interfaces[device]?.addresses.map(\.address).first { $0.isLinkLocal && $0.isV4 == gateway.isV4 }
    }

    /// A macvlan for a device a namespace uses (`entr02_eth1` on `eth1`, moved into `entr02`) — never a device
    /// named like one of the system's own interfaces, never `lo`, never a macvlan on top of itself.
    static func macvlan(_ name: String, in namespace: String?, node: TopologyNode?)
        -> Result<[SynthesisCommand], SynthesisRefusal>
    {
        let interfaces = node.map { Array($0.interfaces.keys) } ?? ["eth1"]
        if name == "lo" { return .failure(SynthesisRefusal("every namespace has its own lo")) }
        if interfaces.contains(name) {
            return .failure(
                SynthesisRefusal(
                    "\(name) is the system's own interface, which lives in the default namespace"
                        + (namespace.map { ", never in netns \($0)" } ?? "")))
        }
        if PhysicalInterface.looksPhysical(name) {
            return .failure(
                SynthesisRefusal(
                    "\(name) looks like a network card the system does not have in this topology; it cannot be made up")
            )
        }
        let suffix = name.split(separator: "_").last.map(String.init)
        let parent = suffix.flatMap { interfaces.contains($0) ? $0 : nil } ?? interfaces.first ?? "eth1"
        guard parent != name else { return .failure(SynthesisRefusal("a macvlan cannot sit on top of itself")) }
        var commands = [
            SynthesisCommand(
                namespace: nil, text: "ip link add dev \(name) link \(parent) type macvlan",
                what: "macvlan \(name) on \(parent)")
        ]
        if let namespace {
            commands.append(
                SynthesisCommand(
                    namespace: nil, text: "ip link set dev \(name) netns \(namespace)",
                    what: "\(name) moved into \(namespace)"))
        }
        commands.append(SynthesisCommand(namespace: namespace, text: "ip link set dev \(name) up", what: "\(name) up"))
        return .success(commands)
    }

    static func tableWord(_ table: UInt32, tables: RTTablesFile) -> String {
        switch table {
        case RouteTable.main: return "main"
        case RouteTable.local: return "local"
        default: return tables.name(ofTable: table) ?? "\(table)"
        }
    }

    /// `ip route add` arguments for a route.
    static func render(_ route: Route, table: String) -> String {
        var parts: [String] = []
        if route.kind != .unicast { parts.append(route.kind.rawValue) }
        parts.append(route.destination.length == 0 ? "default" : route.destination.description)
        parts.append("table \(table)")
        if let gateway = route.gateway { parts.append("via \(gateway)") }
        if let device = route.device { parts.append("dev \(device)") }
        if let source = route.preferredSource { parts.append("src \(source)") }
        if route.routingProtocol != .boot { parts.append("proto \(route.routingProtocol)") }
        if route.metric != 0 { parts.append("metric \(route.metric)") }
        return parts.joined(separator: " ")
    }
}

/// Why a prerequisite cannot be synthesised at some point.
struct SynthesisRefusal: Error, Sendable, Hashable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
