/// How the controller reaches a node: its address as the node sees it and the node's own address of the
/// connection (`$SSH_CONNECTION`: client address, client port, server address, server port).
public struct ManagementPath: Sendable, Hashable, Codable {
    public var controller: IPAddress
    public var local: IPAddress

    public init(controller: IPAddress, local: IPAddress) {
        self.controller = controller
        self.local = local
    }

    /// Reads `$SSH_CONNECTION`; nil when it is empty or not four words of two addresses and two ports.
    public init?(sshConnection text: String) {
        let words = text.split(separator: " ")
        guard words.count == 4, let controller = IPAddress(words[0]), let local = IPAddress(words[2]) else {
            return nil
        }
        self.init(controller: controller, local: local)
    }

    /// The interface holding `local` in the default namespace.
    public func interface(in state: NodeState) -> String? {
        state.namespace(nil)?.links.first { link in link.addresses.contains { $0.address == local } }?.name
    }
}

/// Where the kernel would send a packet to the controller, by the model: the first rule that decides, and the
/// route it finds (or the reason there is none).
public struct ManagementLookup: Sendable, Hashable, CustomStringConvertible {
    public var rulePriority: UInt32?
    public var table: UInt32?
    public var route: Route?
    /// The rule itself rejects (`ip rule add … unreachable`).
    public var ruleAction: String?

    /// True when the packet leaves by a device (a unicast or local route).
    public var isDelivered: Bool { route.map { [.unicast, .local].contains($0.kind) } ?? false }

    public var description: String {
        if let ruleAction, let rulePriority { return "rule \(rulePriority) says \(ruleAction)" }
        guard let route else { return "no route" }
        let table = table.map { " in table \($0)" } ?? ""
        let rule = rulePriority.map { ", found through rule \($0)" } ?? ""
        return "\(route)\(table)\(rule)"
    }

    /// Whether `other` sends the packet the same way (same kind, device and gateway).
    func sameWay(as other: ManagementLookup) -> Bool {
        isDelivered == other.isDelivered && route?.device == other.route?.device
            && route?.gateway == other.route?.gateway && route?.kind == other.route?.kind
    }

    /// The model's lookup of `destination` from `source` in the default namespace: rules by priority, longest
    /// prefix first within a table, `throw` and an empty table go on to the next rule.
    public static func lookup(_ destination: IPAddress, from source: IPAddress, in state: NodeState) -> ManagementLookup
    {
        guard let namespace = state.namespace(nil) else { return ManagementLookup() }
        let rules = namespace.rules.sorted { $0.priority < $1.priority }
        var skipUntil: UInt32?
        for rule in rules {
            if let limit = skipUntil, rule.priority < limit { continue }
            skipUntil = nil
            guard matches(rule, destination: destination, source: source) else { continue }
            switch rule.action {
            case .lookup(let table):
                let candidates = namespace.routes(inTable: table).filter { $0.destination.contains(destination) }
                guard
                    let best = candidates.max(by: {
                        ($0.destination.length, -Int($0.metric)) < ($1.destination.length, -Int($1.metric))
                    })
                else { continue }
                if best.kind == .throw { continue }
                return ManagementLookup(rulePriority: rule.priority, table: table, route: best)
            case .blackhole, .unreachable, .prohibit:
                return ManagementLookup(rulePriority: rule.priority, ruleAction: "\(rule.action)")
            case .goto(let priority): skipUntil = priority
            case .nop: continue
            }
        }
        return ManagementLookup()
    }

    private static func matches(_ rule: PolicyRule, destination: IPAddress, source: IPAddress) -> Bool {
        var result = true
        if let prefix = rule.source, !prefix.contains(source) { result = false }
        if let prefix = rule.destination, !prefix.contains(destination) { result = false }
        // The controller's replies are unmarked and locally generated (iif lo).
        if rule.fwmark != nil { result = false }
        if let input = rule.inputInterface, input != "lo" { result = false }
        if rule.outputInterface != nil { result = false }
        return rule.isInverted ? !result : result
    }
}
