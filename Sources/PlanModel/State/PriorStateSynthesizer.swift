/// Synthesises the smallest prior state a plan assumes (`testbed replay`: a page describes the middle of a
/// story): the routes it changes or deletes, the table names and `rt_tables` lines it uses or removes, the
/// rules, addresses and iptables rules it deletes, the namespaces it enters (with their macvlan
/// `NS_eth1`), the gateway routes and local addresses its routes need.
///
/// Each node's part of the plan runs through the model from a fresh lab node; every failure whose cause is
/// missing state adds the commands that create that state, and the run starts again, until the plan runs
/// clean or only failures no prior state can fix remain (an `add` of something the page itself added, a
/// command that is simply wrong). The prior state is the fresh node plus those commands, so the commands
/// and the state always agree.
public struct PriorStateSynthesizer: Sendable {
    public let topology: Topology
    public var initialStates: [NodeName: NodeState]
    /// Stops a node's synthesis after this many prior commands.
    public var limit = 2000

    public init(topology: Topology, initialStates: [NodeName: NodeState] = [:]) {
        self.topology = topology
        self.initialStates = initialStates
    }

    public func synthesize(_ plan: Plan) -> PriorStateSynthesis {
        let checker = PlanChecker(topology: topology, initialStates: initialStates)
        var result = PriorStateSynthesis()
        for node in plan.nodes {
            let fresh = checker.initialState(of: node)
            var items: [PriorStateSynthesis.Item] = []
            var prior = fresh
            var seen: Set<Prerequisite> = []
            var unresolved: [CheckFinding] = []
            rounds: while items.count < limit {
                unresolved = []
                var state = prior
                var added = false
                for (step, block) in Self.blocks(of: node, in: plan) {
                    var index = 0
                    let commands = block.commands
                    while index < commands.count {
                        let command = commands[index]
                        var missing = missingLine(command.text, namespace: block.netns?.rawValue, state: state)
                        var attempt = state
                        var outcome = CommandOutcome.success
                        if missing == nil {
                            outcome = Self.run(command.text, namespace: block.netns?.rawValue, on: &attempt)
                            if case .failure(let failure) = outcome { missing = failure.missing }
                        }
                        if let missing, !seen.contains(missing) {
                            seen.insert(missing)
                            let first = items.count
                            add(missing, for: command, to: &items, prior: &prior)
                            added = true
                            // Apply the new prior commands here too and retry; start over if they do not apply.
                            for item in items[first...]
                            where Self.run(item.command, namespace: nil, on: &state).isFailure {
                                continue rounds
                            }
                            continue
                        }
                        if case .failure(let failure) = outcome {
                            unresolved.append(
                                CheckFinding(
                                    kind: .wouldFail, node: node, step: step.id, stepTitle: step.title,
                                    command: command.text,
                                    location: command.location, message: failure.reason,
                                    toolMessage: failure.toolMessage,
                                    missing: failure.missing))
                            break
                        }
                        state = attempt
                        index += 1
                    }
                }
                // Prior state added during the pass: check once more from the start.
                if added { continue rounds }
                break
            }
            result.items[node] = items
            result.states[node] = prior
            result.unresolved += unresolved
        }
        return result
    }

    static func blocks(of node: NodeName, in plan: Plan) -> [(Step, NodeBlock)] {
        var result: [(Step, NodeBlock)] = []
        for step in plan.steps {
            switch step.action {
            case .blocks(let blocks): result += blocks.filter { $0.node == node }.map { (step, $0) }
            case .expect(let check) where check.node == node && check.status == 0: result.append((step, check.block))
            default: continue
            }
        }
        return result
    }

    static func run(_ text: String, namespace: String?, on state: inout NodeState) -> CommandOutcome {
        if let namespace, state.namespace(namespace) == nil, !state.unknown.contains(.namespaces) {
            return .failure(
                CommandFailure(
                    reason: "netns \(namespace) does not exist", toolMessage: "", exitStatus: 255,
                    missing: .namespace(namespace)))
        }
        return StateModel.run(text, namespace: namespace, on: &state)
    }

    /// A `sed -i '/xxx_table_NAME_xxx/d' rt_tables` that deletes nothing: the page removes a line it assumes.
    func missingLine(_ text: String, namespace: String?, state: NodeState) -> Prerequisite? {
        guard let words = ShellWords.split(text), words.first == "sed", words.contains(CommandInterpreter.rtTablesPath),
            let script = words.first(where: { $0.hasPrefix("/") && $0.hasSuffix("/d") })
        else { return nil }
        let body = String(script.dropFirst().dropLast(2))
        guard let pattern = SedPattern(body), !state.rtTables.lines.contains(where: pattern.matches) else { return nil }
        guard body.hasPrefix("xxx_table_"), body.hasSuffix("_xxx") else { return nil }
        return .tableName(String(body.dropFirst("xxx_table_".count).dropLast("_xxx".count)))
    }

    /// Adds the commands that create a prerequisite (and, first, whatever those commands need).
    func add(
        _ missing: Prerequisite, for command: Command, to items: inout [PriorStateSynthesis.Item],
        prior: inout NodeState, depth: Int = 0
    ) {
        for (namespace, text, what) in Self.commands(for: missing, prior: prior) {
            var attempt = prior
            let outcome = Self.run(text, namespace: namespace, on: &attempt)
            if case .failure(let failure) = outcome, let inner = failure.missing, depth < 6, inner != missing {
                add(inner, for: command, to: &items, prior: &prior, depth: depth + 1)
                attempt = prior
                _ = Self.run(text, namespace: namespace, on: &attempt)
            }
            prior = attempt
            let rendered = namespace.map { "ip netns exec \($0) \(text)" } ?? text
            items.append(
                PriorStateSynthesis.Item(
                    command: rendered, what: what, neededBy: command.text, location: command.location))
        }
    }

    /// The commands (namespace, text, description) that create a prerequisite on a node in state `prior`.
    static func commands(for missing: Prerequisite, prior: NodeState) -> [(String?, String, String)] {
        func device(_ name: String?, _ namespace: String?) -> String {
            name ?? namespace.map { "\($0)_eth1" } ?? "eth1"
        }
        func place(_ namespace: String?) -> String { namespace.map { "netns \($0)" } ?? "the default namespace" }
        func tableWord(_ table: UInt32) -> String {
            switch table {
            case RouteTable.main: return "main"
            case RouteTable.local: return "local"
            default: return prior.rtTables.name(ofTable: table) ?? "\(table)"
            }
        }
        switch missing {
        case .namespace(let name):
            var commands: [(String?, String, String)] = [(nil, "ip netns add \(name)", "netns \(name)")]
            if prior.namespace(nil)?.link(named: "eth1") != nil {
                let link = "\(name)_eth1"
                commands += [
                    (nil, "ip link add dev \(link) link eth1 type macvlan", "its macvlan \(link) on eth1"),
                    (nil, "ip link set dev \(link) netns \(name)", "\(link) moved into \(name)"),
                    (name, "ip link set dev \(link) up", "\(link) up"),
                ]
            }
            return commands
        case .tableName(let name):
            let number = prior.rtTables.allocateID(for: name) ?? 1
            let line = "\(number) \(name) # xxx_table_\(name)_xxx"
            return [
                (
                    nil, "(echo; echo \"\(line)\") | tee -a /etc/iproute2/rt_tables >/dev/null",
                    "rt_tables line '\(line)'"
                )
            ]
        case .route(let namespace, let route):
            return [
                (
                    namespace, "ip route add \(render(route, table: tableWord(route.table)))",
                    "route \(route) in table \(tableWord(route.table)) of \(place(namespace))"
                )
            ]
        case .kernelTable(let namespace, let table):
            return [
                (
                    namespace, "ip route add unreachable default table \(tableWord(table))",
                    "table \(tableWord(table)) in the kernel of \(place(namespace)) (a placeholder route stands for its routes)"
                )
            ]
        case .device(let namespace, let name):
            var commands: [(String?, String, String)] = [
                (nil, "ip link add dev \(name) link eth1 type macvlan", "macvlan \(name) on eth1")
            ]
            if let namespace {
                commands.append((nil, "ip link set dev \(name) netns \(namespace)", "\(name) moved into \(namespace)"))
            }
            commands.append((namespace, "ip link set dev \(name) up", "\(name) up"))
            return commands
        case .localAddress(let namespace, let address, let name):
            let dev = device(name, namespace)
            return [
                (
                    namespace, "ip address add \(address) dev \(dev)",
                    "address \(address) on \(dev) in \(place(namespace))"
                )
            ]
        case .gatewayRoute(let namespace, let gateway, let name):
            let dev = device(name, namespace)
            let source =
                prior.namespace(namespace)?.link(named: dev)?.addresses.first.map { " src \($0.address)" } ?? ""
            return [
                (
                    namespace, "ip route add \(gateway) dev \(dev)\(source)",
                    "link route to gateway \(gateway) through \(dev) in \(place(namespace))"
                )
            ]
        case .address(let namespace, let address, let dev):
            return [
                (
                    namespace, "ip address add \(address) dev \(dev)",
                    "address \(address) on \(dev) in \(place(namespace))"
                )
            ]
        case .rule(let namespace, let rule, let hasPriority):
            var text = "ip rule add"
            if hasPriority { text += " pref \(rule.priority)" }
            let description = rule.describe(tables: prior.rtTables)
            let selectors = description.drop { $0 != ":" }.dropFirst(2)
            text +=
                " "
                + selectors.replacingOccurrences(of: "from all ", with: "").replacingOccurrences(
                    of: "from all", with: "")
            return [(namespace, text.trimmingCharacters(in: " "), "rule '\(selectors)' in \(place(namespace))")]
        case .iptablesRule(let namespace, let table, let chain, let rule):
            return [
                (
                    namespace, "iptables -t \(table) -A \(chain) \(rule)",
                    "iptables \(table) rule '-A \(chain) \(rule)' in \(place(namespace))"
                )
            ]
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

/// What `PriorStateSynthesizer` made.
public struct PriorStateSynthesis: Sendable, Hashable, Codable {
    /// One command of the prior state, and why.
    public struct Item: Sendable, Hashable, Codable, CustomStringConvertible {
        /// To run in the node's default namespace (namespaced ones carry `ip netns exec NS`).
        public var command: String
        /// What it creates.
        public var what: String
        /// The plan command that needs it, and where that command is.
        public var neededBy: String
        public var location: InputLocation

        public var description: String { "\(what) (for \(location.fileAndLine): \(neededBy))" }
    }

    /// Per node, the commands to run on a fresh lab node before the plan.
    public var items: [NodeName: [Item]] = [:]
    /// Per node, the state those commands leave (the plan's starting state).
    public var states: [NodeName: NodeState] = [:]
    /// Failures no prior state fixes: the plan has them whatever came before it.
    public var unresolved: [CheckFinding] = []

    /// The commands for one node as a script.
    public func script(for node: NodeName) -> String { (items[node] ?? []).map(\.command).joined(separator: "\n") }

    /// The prior state as a plan step per node (YAML-free: one block each), to run before the page.
    public func setupSteps(sourcePath: String) -> [Step] {
        items.keys.sorted().compactMap { node in
            guard let list = items[node], !list.isEmpty else { return nil }
            let location = InputLocation(file: sourcePath, line: 1)
            let lines = list.map { ScriptLine($0.command, at: location) }
            return Step(
                id: "prior-\(node)", title: "prior state of \(node)",
                action: .blocks([NodeBlock(node: node, lines: lines, location: location)]),
                location: location)
        }
    }

    /// A human-readable account: per node, what was synthesised and which command needed it.
    public var summary: String {
        var lines: [String] = []
        for node in items.keys.sorted() {
            guard let list = items[node], !list.isEmpty else { continue }
            lines.append("\(node): \(list.count) command\(list.count == 1 ? "" : "s") of prior state")
            for item in list {
                lines.append("  \(item.what)  — needed by \(item.location.fileAndLine): \(item.neededBy)")
            }
        }
        if lines.isEmpty { lines.append("no prior state needed: the plan runs on fresh lab nodes") }
        for finding in unresolved { lines.append("unresolved: \(finding)") }
        return lines.joined(separator: "\n")
    }
}
